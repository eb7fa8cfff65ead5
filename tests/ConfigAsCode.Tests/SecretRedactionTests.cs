using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConfigAsCode.Synthesis.Evaluation;
using ConfigAsCode.Synthesis.Gate;
using ConfigAsCode.Synthesis.Rules;
using ConfigAsCode.Synthesis.Secrets;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>
/// A credential the rules find never reaches a file, a log or Git (issue #12): every shape people paste is
/// detected, the benign look-alikes are not, and the gate writes placeholders, never values.
/// </summary>
public sealed class SecretRedactionTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cac-secrets-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    // Assembled at run time so this file does not itself look like it holds credentials.
    private static readonly string Jwt = "eyJ" + "hbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9" + ".eyJ" + "zdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ" + "." + "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    private static readonly string AwsSecret = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY";
    private static readonly string AzureKey = "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFy" + "YmF6cXV4Zm9vYmFyYmF6cXV4MTIzNA==";
    private static readonly string PemBody = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7" + "VJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu";

    /// <summary>Every credential shape of issue #12, as an environment variable (name, value, what to find in no output).</summary>
    public static TheoryData<string, string, string> EnvShapes => new()
    {
        { "OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0", "9f8e7d6c5b4a39281706f5e4d3c2b1a0" },
        { "OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer%209f8e7d6c5b4a39281706f5e4d3c2b1a0", "9f8e7d6c5b4a39281706f5e4d3c2b1a0" },
        { "DATABASE_URL", "postgres://app:Tr0ub4dor-and-3@db.internal:5432/app", "Tr0ub4dor-and-3" },
        { "AWS_SECRET_ACCESS_KEY", AwsSecret, AwsSecret },
        { "STORAGE", "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=" + AzureKey + ";EndpointSuffix=core.windows.net", AzureKey },
        { "BLOB", "BlobEndpoint=https://acme.blob.core.windows.net/;SharedAccessSignature=sv=2022-11-02&ss=b&srt=co&sp=rl&se=2027-01-01&sig=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA%3D%3D", "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA" },
        { "SESSION", Jwt, Jwt },
        { "PAYMENTS", "sk_live_" + "51H8x2eKcN0pQrStUvWxYz", "51H8x2eKcN0pQrStUvWxYz" },
        { "RESTRICTED", "rk_live_" + "51H8x2eKcN0pQrStUvWxYz", "51H8x2eKcN0pQrStUvWxYz" },
        { "DB_PASS", "correct-horse", "correct-horse" },
        { "REDIS_PASSWORD", "battery-staple", "battery-staple" },
        { "MYSQL_PWD", "s3cr3t-pwd", "s3cr3t-pwd" },
        { "CLIENT_SECRET", "my-client-secret", "my-client-secret" },
        { "WANDB_API_KEY", "local-wandb-key-value", "local-wandb-key-value" },
        { "TLS_KEY", "-----BEGIN PRIVATE" + " KEY-----\n" + PemBody + "\n-----END PRIVATE" + " KEY-----", PemBody },
        { "HUGGING_FACE_HUB_TOKEN", "hf_" + new string('k', 34), "hf_" + new string('k', 34) },
    };

    [Theory]
    [MemberData(nameof(EnvShapes))]
    public void Every_shape_is_found_as_an_environment_variable(string name, string value, string _)
    {
        Assert.NotNull(SecretDetector.Explain(name, value));
    }

    [Theory]
    [InlineData("sha256:0f6bd6d1d2cb2b7f5e0e4a1a3a4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3")]
    [InlineData("0e9e39f249a16976918f6564b8830bc894c89659")]
    [InlineData("meta-llama/Llama-3.1-70B-Instruct")]
    [InlineData("Qwen/Qwen2-72B-Instruct-GPTQ-Int4")]
    [InlineData("unsloth/DeepSeek-R1-0528-Qwen3-8B-GGUF")]
    [InlineData("deepseek-ai/DeepSeek-R1-Distill-Qwen-32B")]
    [InlineData("a3f1c2d4-5b6e-7f80-9a1b-2c3d4e5f6a7b")]
    [InlineData("sum(rate(vllm:request_success_total{namespace=\"assistant\"}[5m]))")]
    [InlineData("hf-token")]
    [InlineData("/var/run/secrets/kubernetes.io/serviceaccount/token")]
    [InlineData("/models/cache/huggingface/hub/models--meta-llama--Llama-3.1-8B")]
    [InlineData("us-east-1")]
    [InlineData("europe-west4")]
    [InlineData("INFO")]
    [InlineData("debug")]
    [InlineData("expandable_segments:True,max_split_size_mb:512,garbage_collection_threshold:0.8")]
    [InlineData("http://otel-collector.observability:4317")]
    [InlineData("https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct/resolve/main/config.json")]
    [InlineData("s3://models/rerankers/bge-reranker-v2-m3")]
    [InlineData("grpc+tls://triton.inference.svc:8001")]
    [InlineData("Basic configuration for the inference tier, see the runbook")]
    public void Benign_look_alikes_stay_quiet(string value)
    {
        Assert.Null(SecretDetector.DetectTokenFormat(value));
        Assert.Empty(SecretDetector.CredentialParts(value));
        Assert.Null(SecretDetector.Explain("MODEL_SOURCE", value));
    }

    [Theory]
    [InlineData("MAX_INPUT_TOKENS")]
    [InlineData("MAX_TOTAL_TOKENS")]
    [InlineData("PASSWORD_FILE")]
    [InlineData("HF_TOKEN_PATH")]
    [InlineData("SECRET_NAME")]
    [InlineData("BYPASS_CACHE")]
    [InlineData("TOKENIZER")]
    [InlineData("PYTORCH_CUDA_ALLOC_CONF")]
    [InlineData("CACHE_KEY")]
    public void Names_that_only_mention_credentials_are_not_credential_names(string name)
    {
        Assert.False(SecretDetector.IsSensitiveName(name));
    }

    [Theory]
    [InlineData("DATABASE_URL", "postgres://app:$(DB_PASSWORD)@db:5432/app")]
    [InlineData("OTEL_EXPORTER_OTLP_HEADERS", "api-key=$(NEW_RELIC_LICENSE_KEY)")]
    [InlineData("AUTH_HEADER", "Bearer $(API_TOKEN)")]
    [InlineData("DB_PASSWORD", "$(VAULT_DB_PASSWORD)")]
    [InlineData("TOKEN_BUCKET_SIZE", "100")]
    [InlineData("SKIP_TOKEN_CHECK", "1")]
    [InlineData("PASS_THROUGH", "true")]
    [InlineData("VLLM_DISABLE_PASS", "1")]
    [InlineData("PWD", "/workspace")]
    [InlineData("OLDPWD", "/workspace/old")]
    [InlineData("SECRET_KEY_BASE_FROM", "vault")]
    [InlineData("DRAFT_MODEL", "myorg/LlamaGuard3_8B_FinetunedCustomerSupportV2")]
    [InlineData("MODEL_REPO", "ssh://git@github.com/org/models")]
    public void Safe_configs_people_write_are_not_credentials(string name, string value)
    {
        Assert.Null(SecretDetector.Explain(name, value));
        Assert.Null(Synthesis.Rules.RuleFacts.EndpointCredentials(value));
    }

    [Fact]
    public void A_credential_as_a_suppression_owner_is_found_and_never_reaches_a_report()
    {
        // The owner is free text printed in every report's suppression table and in CAC9016: a pasted integration key
        // (no token format, a high-entropy key as a whole) is a credential there as in a justification.
        var key = "Zq81pLmN3xTr7wKd02Hs9UvYbE4cGf6A";
        var d = Fixtures.Compliant() with
        {
            Scaling = new ScalingSpec { MinReplicas = 1, MaxReplicas = 1 },
            Suppressions = [new RuleSuppression("CAC1006", "single replica is fine for this batch tier") { Owner = key }],
        };

        var secrets = SecretScanner.Scan(d);
        var outcome = GateRunner.Run(new EvaluationResult([d], []), Options(accept: true));

        Assert.Contains(secrets, s => s.PropertyPath == "Suppressions[0].Owner" && s.Rule.Id == "CAC2014");
        Assert.False(outcome.Accepted);
        Assert.All(EverythingWritten(), file => Assert.False(Contains(file.Bytes, key), file.Path));
    }

    [Fact]
    public void A_credential_in_free_text_is_found_redacted_and_stops_an_accept()
    {
        var token = "ghp_" + new string('Q', 36);
        var key = "Ab+cDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcdEFGH==";
        var d = Fixtures.Compliant() with
        {
            CostIncreaseAcknowledgment = new CostIncreaseAcknowledgment($"approved by finops, storage AccountKey={key} see {token}"),
            Suppressions = [new RuleSuppression("CAC1006", $"ticket {token} says it is fine")],
        };

        var secrets = SecretScanner.Scan(d);
        var outcome = GateRunner.Run(new EvaluationResult([d], []) { Budgets = [new CostBudget { Name = "budget " + token, MonthlyUsd = 1_000_000m }] }, Options(accept: true));

        Assert.Contains(secrets, s => s.PropertyPath == "CostIncreaseAcknowledgment.Reason");
        Assert.Contains(secrets, s => s.PropertyPath == "Suppressions[0].Justification");
        Assert.Contains(outcome.Diagnostics, x => x.Code == "CAC2014" && x.Message.StartsWith("[platform] Budgets()[0].Name", StringComparison.Ordinal));
        Assert.False(outcome.Accepted);
        Assert.All(EverythingWritten(), file =>
        {
            Assert.False(Contains(file.Bytes, token), file.Path);
            Assert.False(Contains(file.Bytes, key), file.Path);
            Assert.False(Contains(file.Bytes, "Ab\\u002BcDeFg"), file.Path);
        });
    }

    [Fact]
    public void Encoded_forms_of_a_known_value_are_redacted_too()
    {
        var redactor = new Redactor();
        redactor.Register([new DetectedSecret(RuleCatalog.SecretLiteral, "Env[DB_PASSWORD].Value", "credential name", ["Tr0ub4dor&3+horse!"])]);

        Assert.DoesNotContain("Tr0ub4dor", redactor.Redact("json: {\"Value\":\"Tr0ub4dor\\u00263\\u002Bhorse!\"}"), StringComparison.Ordinal);
        Assert.DoesNotContain("Tr0ub4dor", redactor.Redact("url: Tr0ub4dor%263%2Bhorse%21"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_literal_committed_earlier_is_not_printed_by_the_diff_of_the_change_that_removes_it()
    {
        GateRunner.Run(new EvaluationResult([Fixtures.Compliant() with { Env = [EnvVar.FromSecret("DB_PASSWORD", "db", "password")] }], []), Options(accept: true));
        var manifest = Path.Combine(_root, "deploy", "prod", "chat-8b", "deployment-chat-8b.yaml");
        var aws = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY";
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("        env:\n", $"        env:\n        - name: DB_PASSWORD\n          value: Tr0ub4dor-and-3-horses\n        - name: AWS_KEY\n          value: {aws}\n", StringComparison.Ordinal));

        GateRunner.Run(new EvaluationResult([Fixtures.Compliant() with { Env = [EnvVar.FromSecret("DB_PASSWORD", "db", "password")] }], []), Options());

        var diff = File.ReadAllText(Path.Combine(_root, "obj", "configascode", "drift.diff"));
        Assert.Contains("DB_PASSWORD", diff, StringComparison.Ordinal);
        Assert.DoesNotContain("Tr0ub4dor-and-3-horses", diff, StringComparison.Ordinal);
        Assert.DoesNotContain(aws, diff, StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_credential_is_found_and_never_written()
    {
        // 19 characters each, under names that are not credentials': below the 20 the formats used to start at, they
        // were not found at all, so the manifest carried them into the snapshot folder and Git.
        var leaky = Fixtures.Compliant() with { Env = [EnvVar.Literal("BROKER", "amqp://u:hunter2@mq"), EnvVar.Literal("UPSTREAM_HEADERS", "apikey=Zq8Lm3Xw9Tb2")] };

        var outcome = GateRunner.Run(new EvaluationResult([leaky], []), Options(accept: true));

        Assert.False(outcome.Accepted);
        Assert.Equal(2, outcome.Diagnostics.Count(d => d.Code == "CAC2001"));
        foreach (var (path, bytes) in EverythingWritten())
        {
            Assert.False(Contains(bytes, "hunter2"), path);
            Assert.False(Contains(bytes, "Zq8Lm3Xw9Tb2"), path);
        }

        var manifest = File.ReadAllText(Path.Combine(_root, "obj", "configascode", "deploy", "prod", "chat-8b", "deployment-chat-8b.yaml"));
        Assert.Contains("<redacted:CAC2001>", manifest, StringComparison.Ordinal);
    }

    [Fact]
    public void An_environment_variable_named_like_a_token_is_redacted_and_still_rendered()
    {
        var token = "hf_" + new string('k', 34);
        var outcome = GateRunner.Run(new EvaluationResult([Fixtures.Compliant() with { Env = [EnvVar.FromSecret(token, "hf", "token")] }], []), Options());

        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC2014");
        Assert.DoesNotContain(outcome.Diagnostics, d => d.Code is "CAC9008" or "CAC9003");
    }

    [Fact]
    public void A_token_as_a_label_key_an_environment_or_a_deployment_name_is_found_and_written_nowhere_not_even_in_a_path()
    {
        GateRunner.Run(new EvaluationResult([Fixtures.Compliant()], []), Options(accept: true));
        var key = "hf_" + "AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh";
        var environment = "sk-proj-" + "abcdefghij0123456789xyz";
        var name = "sk-proj-" + "zyxwvutsrq9876543210abc";
        var labelled = Fixtures.Compliant() with { Name = "labelled", Cost = Fixtures.Compliant().Cost! with { Labels = new Dictionary<string, string> { ["product"] = "search", [key] = "x" } } };
        var elsewhere = Fixtures.Compliant(new DeploymentEnvironment(environment)) with { Name = "elsewhere" };
        var named = Fixtures.Compliant() with { Name = name };

        var outcome = GateRunner.Run(new EvaluationResult([labelled, elsewhere, named], []), Options(accept: true));

        Assert.False(outcome.Accepted);
        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC2014" && d.Message.Contains("Cost.Labels (a key):", StringComparison.Ordinal));
        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC2014" && d.Message.Contains("] Environment:", StringComparison.Ordinal));
        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC2014" && d.Message.Contains("] Name:", StringComparison.Ordinal));
        foreach (var token in new[] { key, environment, name })
        {
            Assert.All(EverythingWritten(), file => Assert.False(Contains(file.Bytes, token) || file.Path.Contains(token, StringComparison.Ordinal), $"{token} in {file.Path}"));
            Assert.All(outcome.Summary.Concat(outcome.Diagnostics.Select(d => d.Message)), line => Assert.DoesNotContain(token, line, StringComparison.Ordinal));
        }

        var manifest = File.ReadAllText(Path.Combine(_root, "obj", "configascode", "deploy", "prod", "labelled", "deployment-labelled.yaml"));
        Assert.Contains("redacted-cac2014-1: x", manifest, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_names_that_each_hold_a_secret_stay_two_names()
    {
        // Two deployments named like tokens, and two passwords that are environment names: each name is redacted to a
        // name of its own (one placeholder for all had made two deployments one cost key: CAC9009).
        var first = Fixtures.Compliant() with { Name = "sk-proj-" + "abcdefghij0123456789xyz" };
        var second = Fixtures.Compliant() with { Name = "sk-proj-" + "zyxwvutsrq9876543210abc" };
        var prod = Fixtures.Compliant() with { Name = "prod-password", Env = [EnvVar.Literal("DB_PASSWORD", "prod")] };
        var staging = Fixtures.Compliant(DeploymentEnvironment.Staging) with { Name = "staging-password", Env = [EnvVar.Literal("W_PASSWORD", "staging")] };

        var outcome = GateRunner.Run(new EvaluationResult([first, second, prod, staging], []), Options());

        Assert.Equal(2, outcome.Diagnostics.Count(d => d.Code == "CAC2014" && d.Message.Contains("] Name:", StringComparison.Ordinal)));
        Assert.Equal(2, outcome.Diagnostics.Count(d => d.Code == "CAC2001"));
        Assert.DoesNotContain(outcome.Diagnostics, d => d.Code == "CAC9009");
        var environments = Directory.GetDirectories(Path.Combine(_root, "obj", "configascode", "deploy")).Select(f => Path.GetFileName(f)!).Where(f => !f.StartsWith('.')).ToArray();
        Assert.Equal(2, environments.Length);
        Assert.All(environments, e => Assert.StartsWith("redacted-cac2001-", e, StringComparison.Ordinal));
    }

    [Fact]
    public void A_password_that_is_also_a_name_in_the_fleet_is_reported_not_a_failure_of_the_tool()
    {
        // The namespace is "inference": every output redacts the value, and a name the record checks gets a name-shaped
        // placeholder instead of one it would refuse (which had thrown out of the gate as CAC9009).
        var leaky = Fixtures.Compliant() with { Env = [EnvVar.Literal("DB_PASSWORD", "inference")] };

        var outcome = GateRunner.Run(new EvaluationResult([leaky], []), Options());

        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC2001" && d.Severity == RuleSeverity.Error);
        Assert.All(EverythingWritten(), file => Assert.False(Contains(file.Bytes, "inference"), file.Path));
        Assert.True(File.Exists(Path.Combine(_root, "obj", "configascode", "deploy", "prod", "chat-8b", "deployment-chat-8b.yaml")));
    }

    [Fact]
    public void A_password_in_the_user_info_of_any_url_field_is_found_with_its_path()
    {
        var triton = RuleFiringTests.Triton() with { Engine = new TritonEngine { ModelRepository = "s3://svc:Tr0ub4dor-and-3@minio.internal:9000/models" } };

        var secret = Assert.Single(SecretScanner.Scan(triton));

        Assert.Equal("CAC2013", secret.Rule.Id);
        Assert.Equal("Engine.ModelRepository", secret.PropertyPath);
        Assert.Contains("svc:Tr0ub4dor-and-3", secret.Values);
    }

    private GateOptions Options(bool accept = false) => new()
    {
        ProjectDirectory = _root,
        SnapshotDirectory = Path.Combine(_root, "deploy"),
        OutputDirectory = Path.Combine(_root, "obj", "configascode"),
        Accept = accept,
    };

    private IEnumerable<(string Path, byte[] Bytes)> EverythingWritten() =>
        Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Select(p => (p, File.ReadAllBytes(p)));

    private static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(needle)) >= 0;

    [Fact]
    public void No_output_of_the_gate_carries_any_detected_value_and_accept_is_refused()
    {
        GateRunner.Run(new EvaluationResult([Fixtures.Compliant()], []), Options(accept: true));
        var committed = Directory.GetFiles(Path.Combine(_root, "deploy"), "*", SearchOption.AllDirectories).ToDictionary(p => p, File.ReadAllBytes);
        var shapes = EnvShapes.Select(row => ((string)row[0], (string)row[1], (string)row[2])).ToArray();
        var leaky = Fixtures.Compliant() with
        {
            Env = shapes.Select((s, i) => EnvVar.Literal(s.Item1 + (i == 0 ? string.Empty : "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)), s.Item2)).ToArray(),
            Observability = new ObservabilitySpec { PrometheusUrl = "http://admin:hunter2hunter2@prometheus.monitoring:9090" },
        };

        var outcome = GateRunner.Run(new EvaluationResult([leaky], []), Options(accept: true));

        Assert.False(outcome.Accepted);
        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC9013" && d.Message.Contains("credential", StringComparison.Ordinal));
        Assert.Equal(shapes.Length, outcome.Diagnostics.Count(d => d.Code == "CAC2001"));
        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC2013");
        foreach (var (path, bytes) in EverythingWritten())
        {
            foreach (var (_, _, secret) in shapes.Append((string.Empty, string.Empty, "hunter2hunter2")))
            {
                Assert.False(Contains(bytes, secret), $"{secret} in {path}");
            }
        }

        foreach (var line in outcome.Summary.Concat(outcome.Diagnostics.Select(d => d.Message)))
        {
            Assert.All(shapes, s => Assert.DoesNotContain(s.Item3, line, StringComparison.Ordinal));
        }

        var manifest = File.ReadAllText(Path.Combine(_root, "obj", "configascode", "deploy", "prod", "chat-8b", "deployment-chat-8b.yaml"));
        Assert.Contains("<redacted:CAC2001>", manifest, StringComparison.Ordinal);
        Assert.All(committed, pair => Assert.Equal(pair.Value, File.ReadAllBytes(pair.Key)));
    }

    [Fact]
    public void Silencing_the_rule_does_not_let_the_value_through()
    {
        var token = "ghp_" + new string('z', 36);
        var leaky = Fixtures.Compliant() with { Env = [EnvVar.Literal("GIT_CREDENTIAL", token)] };
        var options = Options(accept: true) with { Rules = RuleOptions.Default with { SeverityOverrides = new Dictionary<string, RuleSeverity> { ["CAC2001"] = RuleSeverity.None } } };

        var outcome = GateRunner.Run(new EvaluationResult([leaky], []), options);

        // The rule refuses suppression: an override to None does not lower it (the host reports such a setting as
        // CAC9015), and the accept is refused whatever the rule's severity.
        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC2001" && d.Severity == RuleSeverity.Error);
        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC9013");
        Assert.False(Directory.Exists(Path.Combine(_root, "deploy")));
        Assert.All(EverythingWritten(), file => Assert.False(Contains(file.Bytes, token), file.Path));
    }

    [Fact]
    public void The_config_hash_does_not_depend_on_a_secret_value()
    {
        var a = Fixtures.Compliant() with { Env = [EnvVar.Literal("DB_PASSWORD", "first-password")] };
        var b = Fixtures.Compliant() with { Env = [EnvVar.Literal("DB_PASSWORD", "second-password")] };
        var redactor = new Redactor();
        redactor.Register(SecretScanner.Scan(a).Concat(SecretScanner.Scan(b)));

        var hashA = DeploymentFlattener.Hash(ModelRedactor.Redact(a, SecretScanner.Scan(a), redactor));
        var hashB = DeploymentFlattener.Hash(ModelRedactor.Redact(b, SecretScanner.Scan(b), redactor));

        Assert.Equal(hashA, hashB);
        Assert.Equal("<redacted:CAC2001>", ModelRedactor.Redact(a, SecretScanner.Scan(a), redactor).Env[0].Value);
        Assert.Equal("first-password", a.Env[0].Value);
    }

    [Fact]
    public void A_value_known_to_be_secret_is_redacted_wherever_it_appears_even_without_a_format()
    {
        var redactor = new Redactor();
        redactor.Register([new DetectedSecret(RuleCatalog.SecretLiteral, "Env[DB_PASS].Value", "credential name", ["plain-words-password"])]);

        Assert.Equal("error at <redacted:CAC2001>: connection refused", redactor.Redact("error at plain-words-password: connection refused"));
        Assert.Equal("ok", redactor.Redact("ok"));
    }

    [Fact]
    public void The_body_of_a_private_key_is_redacted_not_only_its_header()
    {
        var text = "key:\n-----BEGIN RSA PRIVATE" + " KEY-----\n" + PemBody + "\n-----END RSA PRIVATE" + " KEY-----\ndone";

        var redacted = SecretDetector.Redact(text);

        Assert.DoesNotContain(PemBody.Substring(0, 40), redacted, StringComparison.Ordinal);
        Assert.EndsWith("done", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void An_exception_message_with_a_token_is_redacted_in_CAC9004()
    {
        var failed = PlatformEvaluator.Evaluate([new LeakyPlatform()]);

        var failure = Assert.Single(failed.Failures);
        Assert.Equal("CAC9004", failure.Id);
        Assert.DoesNotContain(LeakyPlatform.Token, failure.Message, StringComparison.Ordinal);
        Assert.Contains("<redacted>", failure.Message, StringComparison.Ordinal);
    }
}

/// <summary>User code whose exception carries a token, as a careless log message would.</summary>
internal sealed class LeakyPlatform : InferencePlatform
{
    public static readonly string Token = "hf_" + new string('t', 34);

    public override IEnumerable<InferenceDeployment> Declare() => throw new InvalidOperationException($"could not reach the hub with {Token}");
}
