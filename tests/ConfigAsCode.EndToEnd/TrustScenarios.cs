using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace ConfigAsCode.EndToEnd;

/// <summary>
/// The gate as users meet it, with deliberate faults (issues #12, #13, #14): real builds of temporary config projects
/// against the packed package. Secrets never leave, accept never harms, and the verdict cannot be fooled.
/// </summary>
public sealed class TrustScenarios(PackageFeed feed, ITestOutputHelper output) : IClassFixture<PackageFeed>
{
    private static readonly Dictionary<string, string> InCi = new() { ["CI"] = "true" };

    // Built at run time so this file does not itself look like it holds credentials; written into the config
    // project as literals, the way users paste them.
    private static readonly (string Name, string Value, string Secret)[] CredentialShapes =
    [
        ("HF_TOKEN", "hf_" + "AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh", "hf_" + "AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh"),
        ("OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer " + "9f8e7d6c5b4a39281706f5e4d3c2b1a0", "9f8e7d6c5b4a39281706f5e4d3c2b1a0"),
        ("DATABASE_URL", "postgres://app:" + "Tr0ub4dor-and-3" + "@db.internal:5432/app", "Tr0ub4dor-and-3"),
        ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY"),
        ("STORAGE", "AccountName=acme;AccountKey=" + "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFy" + "==;EndpointSuffix=core.windows.net", "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFy"),
        ("BLOB", "BlobEndpoint=https://acme.blob.core.windows.net/;SharedAccessSignature=sv=2022-11-02&sig=" + "Q2hhbmdlTWVQbGVhc2UxMjM0NTY3ODk", "Q2hhbmdlTWVQbGVhc2UxMjM0NTY3ODk"),
        ("SESSION", "eyJ" + "hbGciOiJIUzI1NiJ9.eyJ" + "zdWIiOiIxMjM0NTY3ODkwIn0." + "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"),
        ("PAYMENTS", "sk_live_" + "51H8x2eKcN0pQrStUvWxYz", "51H8x2eKcN0pQrStUvWxYz"),
        ("REFUNDS", "rk_live_" + "51H8x2eKcN0pQrStUvWxQq", "51H8x2eKcN0pQrStUvWxQq"),
        ("DB_PASS", "correct-horse-" + "battery", "correct-horse-battery"),
        ("REDIS_PASSWORD", "tr0mb0ne-" + "staple", "tr0mb0ne-staple"),
        ("MYSQL_PWD", "s3cr3t-" + "pwd-value", "s3cr3t-pwd-value"),
        ("CLIENT_SECRET", "my-client-" + "secret-value", "my-client-secret-value"),
        ("WANDB_API_KEY", "local-wandb-" + "key-value", "local-wandb-key-value"),
    ];

    private static readonly (string Field, string Url, string Secret)[] UrlShapes =
    [
        ("PrometheusUrl", "http://metrics:" + "Pr0m-pa55word" + "@prometheus.monitoring:9090", "Pr0m-pa55word"),
        ("OtlpEndpoint", "http://otel:" + "0tlp-pa55word" + "@otel-collector.observability:4317", "0tlp-pa55word"),
    ];

    private const string Deployment = """
            var chat = new InferenceDeployment
            {
                Name = "chat",
                Namespace = "inference",
                Environment = DeploymentEnvironment.Prod,
                Model = new ModelSpec { Id = "meta-llama/Llama-3.1-8B-Instruct", Revision = "0e9e39f249a16976918f6564b8830bc894c89659" },
                Engine = new VllmEngine { MaxNumSeqs = 64, MaxNumBatchedTokens = 8192, MaxModelLen = 8192 },
                Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = "v0.6.4", Digest = "sha256:0f6bd6d1d2cb2b7f5e0e4a1a3a4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3" },
                Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L4 },
                Cluster = new ClusterProfile { SharedStorageClass = "efs-sc", EgressProxy = "http://egress-proxy.egress:3128" },
                Cost = new CostAttribution { Team = "ml", CostCenter = "cc-1" },
                Load = new ExpectedLoad { RequestsPerSecond = 2, InputTokens = 500, OutputTokens = 100 },
            };
""";

    private static string Platform(string body, string members = "", string visibility = "public") => $$"""
        using ConfigAsCode;

        namespace E2E;

        {{visibility}} sealed class Platform : InferencePlatform
        {
        {{members}}
            public override IEnumerable<InferenceDeployment> Declare()
            {
        {{Deployment}}
        {{body}}
            }
        }
        """;

    private static string Literal(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;

    private static byte[] Decompressed(string binlog)
    {
        using var file = File.OpenRead(binlog);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }

    /// <summary>The build failed with the one coded error CAC9011, and no task stack trace.</summary>
    private static void AssertRefusedWithCAC9011Only(DotNet.Result build)
    {
        Assert.False(build.Succeeded);
        Assert.Equal(["CAC9011"], DotNet.ErrorCodes(build.Output));
        Assert.DoesNotContain("MSB4018", build.Output, StringComparison.Ordinal);
    }

    private ConfigProject Accepted(string name = "Platform", string? source = null)
    {
        var project = new ConfigProject(feed, output, name);
        if (source is not null)
        {
            project.WriteSource("Deployments.cs", source);
        }

        var accept = project.Build("-p:ConfigAsCodeAcceptChanges=true");
        Assert.True(accept.Succeeded, accept.ToString());
        return project;
    }

    [Fact]
    public void A_second_project_pointed_at_another_projects_snapshot_folder_is_refused_and_deletes_nothing()
    {
        // Both platforms are named "platform" (the class name in kebab case, as the quickstart leaves it): only the
        // project the index records tells the folders apart.
        var teamA = Accepted("TeamA");
        Assert.Contains("\"project\": \"TeamA\"", File.ReadAllText(Path.Combine(teamA.Snapshots, ".configascode", "provenance.json")), StringComparison.Ordinal);
        var before = teamA.SnapshotBytes();
        var teamB = new ConfigProject(feed, output, "TeamB");
        teamB.WriteDeployments(includeSecondModel: false);
        teamB.AddToProject($"""
            <PropertyGroup>
              <ConfigAsCodeSnapshotDirectory>{teamA.Snapshots}</ConfigAsCodeSnapshotDirectory>
              <ConfigAsCodeAllowedRoot>{Path.GetDirectoryName(teamA.Directory)}</ConfigAsCodeAllowedRoot>
            </PropertyGroup>
            """);

        // Before, "summarize" was team B's orphan, and the accept its drift error suggested removed team A's files.
        var accept = teamB.Build("-p:ConfigAsCodeAcceptChanges=true -p:ConfigAsCodeAllowRemovals=9");

        Assert.False(accept.Succeeded);
        Assert.Equal(["CAC9011"], DotNet.ErrorCodes(accept.Output));
        Assert.Contains("the config project 'TeamA'", accept.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("CAC9003", accept.Output, StringComparison.Ordinal);
        Assert.Equal(before.Keys, teamA.SnapshotBytes().Keys);
        Assert.All(before, pair => Assert.Equal(pair.Value, teamA.SnapshotBytes()[pair.Key]));
        Assert.True(teamA.Build().Succeeded);
    }

    [Fact]
    public void A_second_project_pointed_at_another_projects_output_folder_is_refused_and_removes_none_of_its_reports()
    {
        // A monorepo's two config projects with one ConfigAsCodeOutputDirectory (a CI job that publishes one folder):
        // before, each build removed the other's report.json, report.md, report.sarif and pr-comment.md as its own
        // "stale" reports and wrote its own in their place, so the CI job published the wrong project's verdict.
        var teamA = Accepted("OutTeamA");
        var shared = Path.Combine(Path.GetDirectoryName(teamA.Directory)!, "shared-gate-" + Guid.NewGuid().ToString("N")[..6]);
        var settings = $"""
            <PropertyGroup>
              <ConfigAsCodeOutputDirectory>{shared}</ConfigAsCodeOutputDirectory>
              <ConfigAsCodeAllowedRoot>{Path.GetDirectoryName(teamA.Directory)}</ConfigAsCodeAllowedRoot>
            </PropertyGroup>
            """;
        teamA.AddToProject(settings);
        var first = teamA.Build();
        Assert.True(first.Succeeded, first.ToString());
        var before = Directory.GetFiles(shared, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith("configascode.lock", StringComparison.Ordinal)).ToDictionary(f => f, File.ReadAllBytes);
        Assert.Contains(Path.Combine(shared, "report.json"), before.Keys);

        var teamB = new ConfigProject(feed, output, "OutTeamB");
        teamB.WriteDeployments(includeSecondModel: false);
        teamB.AddToProject(settings);
        var second = teamB.Build();

        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), Directory.GetFiles(shared, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith("configascode.lock", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.All(before, pair => Assert.Equal(pair.Value, File.ReadAllBytes(pair.Key)));
        AssertRefusedWithCAC9011Only(second);
        Assert.Contains("OutTeamA", second.Output, StringComparison.Ordinal);
        Assert.True(teamA.Build("-p:ConfigAsCodeReuseVerdict=false").Succeeded);
    }

    [Fact]
    public void A_checkout_reached_through_a_link_keeps_its_output_folder_when_obj_is_spelled_by_the_real_path()
    {
        // Built by its real path (an IDE), then through a link to the checkout with the output folder spelled by the real
        // path (an absolute BaseIntermediateOutputPath or ConfigAsCodeOutputDirectory): before, that build called the
        // folder outside the project and, inside an allowed root, another project's (CAC9011), for one and the same folder.
        var project = Accepted("Linked");
        var link = project.Directory + "-link";
        Directory.CreateSymbolicLink(link, project.Directory);
        var gate = Path.Combine(project.Directory, "obj", "Debug", "net10.0", "configascode") + Path.DirectorySeparatorChar;

        var build = DotNet.Run(link, $"build \"{Path.Combine(link, "Linked.csproj")}\" -nodeReuse:false -p:ConfigAsCodeOutputDirectory=\"{gate}\" -p:ConfigAsCodeReuseVerdict=false", null, feed.Packages);
        output.WriteLine(build.Output);

        Assert.True(build.Succeeded, build.ToString());
        Assert.DoesNotContain("CAC9011", build.Output, StringComparison.Ordinal);
        Assert.True(project.Build("-p:ConfigAsCodeReuseVerdict=false").Succeeded);
    }

    [Fact]
    public void A_project_whose_output_folder_another_project_took_is_not_up_to_date_and_never_replays_its_warnings()
    {
        // Team B passed in the shared folder; the folder was deleted and team A ran there first. Before, team B's next
        // build was "up to date" (nothing of its own inputs had changed) and replayed team A's warnings.log as its own.
        var teamB = Accepted("TookB");
        var shared = Path.Combine(Path.GetDirectoryName(teamB.Directory)!, "took-gate-" + Guid.NewGuid().ToString("N")[..6]);
        var settings = $"""
            <PropertyGroup>
              <ConfigAsCodeOutputDirectory>{shared}</ConfigAsCodeOutputDirectory>
              <ConfigAsCodeAllowedRoot>{Path.GetDirectoryName(teamB.Directory)}</ConfigAsCodeAllowedRoot>
            </PropertyGroup>
            """;
        teamB.AddToProject(settings);
        Assert.True(teamB.Build().Succeeded);

        Directory.Delete(shared, recursive: true);
        var teamA = Accepted("TookA", Platform("        yield return chat with { Scaling = new ScalingSpec { MinReplicas = 1, MaxReplicas = 4 } };"));
        teamA.AddToProject(settings);
        var a = teamA.Build();
        Assert.True(a.Succeeded, a.ToString());
        Assert.Contains("CAC1006", File.ReadAllText(Path.Combine(shared, "warnings.log")), StringComparison.Ordinal);

        var b = teamB.Build();

        Assert.DoesNotContain("up to date", b.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("CAC1006", b.Output, StringComparison.Ordinal);
        AssertRefusedWithCAC9011Only(b);
    }

    [Fact]
    public void A_project_that_builds_for_two_frameworks_runs_the_gate_in_the_one_it_names()
    {
        var project = new ConfigProject(feed, output, "TwoFrameworks");
        File.WriteAllText(project.ProjectFile, File.ReadAllText(project.ProjectFile).Replace("<TargetFramework>net10.0</TargetFramework>", "<TargetFrameworks>net8.0;net10.0</TargetFrameworks>", StringComparison.Ordinal));

        // Before: each framework's build ran the gate (two accepts into one folder at once), and the outer build failed
        // with MSB4044 for want of an assembly.
        var unnamed = project.Build("-p:ConfigAsCodeAcceptChanges=true");
        Assert.False(unnamed.Succeeded);
        Assert.Equal(["CAC9015"], DotNet.ErrorCodes(unnamed.Output));
        Assert.DoesNotContain("MSB4044", unnamed.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(project.Snapshots));

        var named = project.Build("-p:ConfigAsCodeAcceptChanges=true -p:ConfigAsCodeTargetFramework=net10.0");
        Assert.True(named.Succeeded, named.ToString());
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(named.Output, "ConfigAsCode: accepted"));
        Assert.Contains("not in this net8.0 one", named.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(project.Snapshots, ".configascode", "provenance.json")));

        var other = project.Build("-f net8.0 -p:ConfigAsCodeTargetFramework=net11.0");
        Assert.Equal(["CAC9015"], DotNet.ErrorCodes(other.Output));
    }

    [Fact]
    public void Every_credential_shape_fails_the_build_and_reaches_no_file_log_or_binlog_with_analyzers_on_and_off_and_with_accept()
    {
        var project = Accepted("Secrets", Platform("        yield return chat;"));
        var before = project.SnapshotBytes();
        var env = string.Join(",\n", CredentialShapes.Select(s => $"                EnvVar.Literal({Literal(s.Name)}, {Literal(s.Value)})"));
        project.WriteSource("Deployments.cs", Platform($$"""
                    yield return chat with
                    {
                        Env = [
            {{env}}
                        ],
                        Observability = new ObservabilitySpec { PrometheusUrl = {{Literal(UrlShapes[0].Url)}}, Traces = new TraceExport { OtlpEndpoint = {{Literal(UrlShapes[1].Url)}} } },
                    };
            """));

        var analyzersOn = project.Build("-p:ConfigAsCodeAcceptChanges=true");
        var logs = new List<(string Name, string Text, string? Binlog)> { ("analyzers on", analyzersOn.Output, project.LastBinlog) };
        var analyzersOff = project.Build("-p:RunAnalyzers=false");
        logs.Add(("analyzers off", analyzersOff.Output, project.LastBinlog));
        var accept = project.Build("-p:RunAnalyzers=false -p:ConfigAsCodeAcceptChanges=true");
        logs.Add(("accept", accept.Output, project.LastBinlog));

        Assert.False(analyzersOn.Succeeded);
        Assert.Contains("CAC2001", DotNet.ErrorCodes(analyzersOn.Output));
        Assert.False(analyzersOff.Succeeded);
        Assert.Equal(CredentialShapes.Length, analyzersOff.Output.Split('\n').Where(l => l.Contains("error CAC2001", StringComparison.Ordinal)).Select(l => l.Trim()).Distinct().Count());
        Assert.Contains("CAC2013", DotNet.ErrorCodes(analyzersOff.Output));
        Assert.False(accept.Succeeded);
        Assert.Contains("CAC9013", DotNet.ErrorCodes(accept.Output));
        Assert.Equal(before, project.SnapshotBytes());

        var secrets = CredentialShapes.Select(s => s.Secret).Concat(UrlShapes.Select(s => s.Secret)).ToArray();
        foreach (var (name, text, binlog) in logs)
        {
            Assert.All(secrets, secret => Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{name}: the build output carries {secret}"));
            Assert.NotNull(binlog);
            var bytes = Decompressed(binlog!);
            Assert.All(secrets, secret => Assert.False(Contains(bytes, secret), $"{name}: the binlog carries {secret}"));
        }

        foreach (var (path, bytes) in project.GateFiles())
        {
            Assert.All(secrets, secret => Assert.False(Contains(bytes, secret), $"{path} carries {secret}"));
        }

        Assert.Contains("<redacted:CAC2001>", File.ReadAllText(Path.Combine(project.Directory, "obj", "Debug", "net10.0", "configascode", "deploy", "prod", "chat", "deployment-chat.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public void Benign_look_alikes_build_with_no_security_finding()
    {
        var project = new ConfigProject(feed, output, "Benign");
        project.WriteSource("Deployments.cs", Platform("""
                    yield return chat with
                    {
                        Env = [
                            EnvVar.Literal("IMAGE_DIGEST", "sha256:0f6bd6d1d2cb2b7f5e0e4a1a3a4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3"),
                            EnvVar.Literal("GIT_COMMIT", "0e9e39f249a16976918f6564b8830bc894c89659"),
                            EnvVar.Literal("DRAFT_MODEL", "Qwen/Qwen2-72B-Instruct-GPTQ-Int4"),
                            EnvVar.Literal("REQUEST_ID_NAMESPACE", "a3f1c2d4-5b6e-7f80-9a1b-2c3d4e5f6a7b"),
                            EnvVar.Literal("SLO_QUERY", "sum(rate(vllm:request_success_total[5m]))"),
                            EnvVar.Literal("HF_SECRET_NAME", "hf-token"),
                            EnvVar.Literal("HF_HOME", "/models/cache/huggingface"),
                            EnvVar.Literal("AWS_REGION", "us-east-1"),
                            EnvVar.Literal("LOG_LEVEL", "INFO"),
                            EnvVar.Literal("PYTORCH_CUDA_ALLOC_CONF", "expandable_segments:True,max_split_size_mb:512"),
                            EnvVar.Literal("MODEL_MIRROR", "https://hf-mirror.internal.example.com/models"),
                            EnvVar.Literal("MAX_INPUT_TOKENS", "4096"),
                            EnvVar.Literal("PASSWORD_FILE", "/run/secrets/db"),
                            EnvVar.FromSecret("HF_TOKEN", "hf-token", "token"),
                        ],
                    };
            """));

        var build = project.Build();

        Assert.DoesNotContain(DotNet.ErrorCodes(build.Output), c => c.StartsWith("CAC2", StringComparison.Ordinal));
        Assert.DoesNotContain("warning CAC2", build.Output, StringComparison.Ordinal);
        Assert.Equal(["CAC9002"], DotNet.ErrorCodes(build.Output));
    }

    [Fact]
    public void A_platform_class_made_internal_fails_with_one_coded_error_and_accept_leaves_deploy_byte_identical()
    {
        var project = Accepted("Internal", Platform("        yield return chat;\n        yield return chat with { Name = \"summarize\" };"));
        var before = project.SnapshotBytes();
        project.WriteSource("Deployments.cs", Platform("        yield return chat;\n        yield return chat with { Name = \"summarize\" };", visibility: "internal"));

        var build = project.Build();
        var accept = project.Build("-p:ConfigAsCodeAcceptChanges=true");

        Assert.False(build.Succeeded);
        Assert.Equal(["CAC9012"], DotNet.ErrorCodes(build.Output));
        Assert.Single(build.Output.Split('\n').Where(l => l.Contains("error CAC", StringComparison.Ordinal)).Distinct(), l => l.Contains("error CAC9012", StringComparison.Ordinal) && l.Contains("E2E.Platform is not public", StringComparison.Ordinal));
        Assert.DoesNotContain("CAC9003", build.Output, StringComparison.Ordinal);
        Assert.False(accept.Succeeded);
        Assert.Equal(before, project.SnapshotBytes());
    }

    [Fact]
    public void Accept_pointed_at_the_parent_folder_deletes_nothing()
    {
        var project = new ConfigProject(feed, output, "Parent");
        var sentinel = Path.Combine(Path.GetDirectoryName(project.Directory)!, "sentinel-" + Guid.NewGuid().ToString("N")[..6] + ".yaml");
        File.WriteAllText(sentinel, "kind: Mine\n");

        var build = project.Build("-p:ConfigAsCodeSnapshotDirectory=.. -p:ConfigAsCodeAcceptChanges=true");

        Assert.False(build.Succeeded);
        Assert.Equal(["CAC9011"], DotNet.ErrorCodes(build.Output));
        Assert.Equal("kind: Mine\n", File.ReadAllText(sentinel));
        File.Delete(sentinel);
    }

    [Fact]
    public void Accept_into_a_folder_with_files_it_does_not_own_deletes_nothing()
    {
        var project = new ConfigProject(feed, output, "Foreign");
        var gitops = Path.Combine(project.Directory, "gitops");
        Directory.CreateDirectory(Path.Combine(gitops, "prod"));
        File.WriteAllText(Path.Combine(gitops, "prod", "argo-app.yaml"), "kind: Application\n");

        var build = project.Build("-p:ConfigAsCodeSnapshotDirectory=gitops -p:ConfigAsCodeAcceptChanges=true");

        Assert.False(build.Succeeded);
        Assert.Contains("CAC9013", DotNet.ErrorCodes(build.Output));
        Assert.Equal(["argo-app.yaml"], Directory.GetFiles(Path.Combine(gitops, "prod")).Select(Path.GetFileName));
    }

    [Fact]
    public void A_duplicate_gives_CAC9006_with_both_lines_and_the_other_findings()
    {
        var project = new ConfigProject(feed, output, "Duplicate");
        project.WriteSource("Deployments.cs", Platform("""
                    yield return chat;
                    yield return chat with { Scaling = chat.Scaling with { MinReplicas = 3, MaxReplicas = 8 } };
                    yield return chat with { Name = "other", Engine = new VllmEngine { MaxNumSeqs = 64, MaxNumBatchedTokens = 8192, MaxModelLen = 131072 } };
            """));

        var build = project.Build();

        var duplicate = Assert.Single(build.Output.Split('\n').Where(l => l.Contains("error CAC9006", StringComparison.Ordinal)).Distinct());
        Assert.Matches(@"first at Deployments\.cs\(\d+\), again at Deployments\.cs\(\d+\)", duplicate);
        Assert.Contains("CAC3008", DotNet.ErrorCodes(build.Output));
        Assert.Contains("CAC9002", DotNet.ErrorCodes(build.Output));
        Assert.DoesNotContain("CAC9009", build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hand_edit_of_the_environment_kustomization_and_a_cost_only_change_each_fail_a_clean_CI_build()
    {
        var project = Accepted("Kustomize");
        var kustomization = Path.Combine(project.Snapshots, "prod", "kustomization.yaml");
        var original = File.ReadAllText(kustomization);
        File.WriteAllText(kustomization, original.Replace("- summarize\n", string.Empty, StringComparison.Ordinal));
        Directory.Delete(Path.Combine(project.Directory, "obj"), recursive: true);

        var kustomizationBuild = project.Build(environment: InCi);
        File.WriteAllText(kustomization, original);
        File.WriteAllText(Path.Combine(project.Directory, "prices.json"), """{ "gpu": [ { "gpu": "l4", "provider": "aws", "region": "us-east-1", "usdPerGpuHour": 0.5, "date": "2026-11-01", "source": "negotiated" } ] }""");
        Directory.Delete(Path.Combine(project.Directory, "obj"), recursive: true);
        var costBuild = project.Build("-p:ConfigAsCodePriceFile=prices.json", InCi);

        Assert.False(kustomizationBuild.Succeeded);
        Assert.Contains("prod/kustomization.yaml: resources: (absent) → summarize", kustomizationBuild.Output, StringComparison.Ordinal);
        Assert.False(costBuild.Succeeded);
        Assert.Contains(".configascode/cost.json: deployments[prod/chat].inputs.usd-per-gpu-hour", costBuild.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cost_increase_accepted_with_the_cost_rules_silenced_fails_CI_against_the_base_branch_and_so_does_a_second_one_after_an_acknowledgment()
    {
        const string budget = "    public override IEnumerable<CostBudget> Budgets() => [new CostBudget { Name = \"prod\", Environment = \"prod\", MonthlyUsd = 1_000_000m, MaxIncreasePercent = 10m }];";
        string Source(int replicas, string acknowledgment = "") => Platform($"        yield return chat with {{ Scaling = new ScalingSpec {{ MinReplicas = {replicas}, MaxReplicas = 12 }}{acknowledgment} }};", budget);
        var project = Accepted("Baseline", Source(2));
        project.WriteSource(".gitignore", "bin/\nobj/\n*.binlog\n");
        project.Git("init -q -b main");
        project.Git("-c user.email=e2e@example.com -c user.name=e2e add -A");
        project.Git("-c user.email=e2e@example.com -c user.name=e2e commit -q -m base");
        project.Git("checkout -q -b change");

        project.WriteSource("Deployments.cs", Source(4));
        Assert.True(project.Build("-p:ConfigAsCodeAcceptChanges=true -p:ConfigAsCodeRuleSeverities=CAC4006=none").Succeeded);
        project.Git("-c user.email=e2e@example.com -c user.name=e2e commit -q -am silenced");
        var ci = project.Build("-p:ConfigAsCodeCostBaseline=git:main", InCi);

        Assert.False(ci.Succeeded, ci.ToString());
        Assert.Equal(["CAC4006"], DotNet.ErrorCodes(ci.Output));
        Assert.Contains("cost change against git:main (", ci.Output, StringComparison.Ordinal);

        project.WriteSource("Deployments.cs", Source(4, ", CostIncreaseAcknowledgment = new(\"launch: doubled for the keynote\")"));
        Assert.True(project.Build("-p:ConfigAsCodeAcceptChanges=true").Succeeded);
        project.Git("-c user.email=e2e@example.com -c user.name=e2e commit -q -am acknowledged");
        Assert.True(project.Build("-p:ConfigAsCodeCostBaseline=git:main", InCi).Succeeded);
        project.Git("checkout -q main");
        project.Git("merge -q --ff-only change");
        project.Git("checkout -q change");

        project.WriteSource("Deployments.cs", Source(6, ", CostIncreaseAcknowledgment = new(\"launch: doubled for the keynote\")"));
        Assert.True(project.Build("-p:ConfigAsCodeAcceptChanges=true -p:ConfigAsCodeRuleSeverities=CAC4006=none").Succeeded);
        project.Git("-c user.email=e2e@example.com -c user.name=e2e commit -q -am again");
        var second = project.Build("-p:ConfigAsCodeCostBaseline=git:main", InCi);

        Assert.False(second.Succeeded, second.ToString());
        Assert.Contains("its acknowledgment 'launch: doubled for the keynote' covers up to", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Declare_that_never_returns_fails_within_the_timeout()
    {
        var project = new ConfigProject(feed, output, "Loop");
        project.WriteSource("Deployments.cs", Platform("        while (System.Environment.TickCount64 > 0) { System.Threading.Thread.Sleep(10); }\n        yield return chat;"));
        var clock = Stopwatch.StartNew();

        var build = project.Build("-p:ConfigAsCodeTimeoutSeconds=5");

        Assert.False(build.Succeeded);
        Assert.Equal(["CAC9014"], DotNet.ErrorCodes(build.Output));
        Assert.Contains("did not finish within 5 s", build.Output, StringComparison.Ordinal);
        Assert.Contains("enumerating E2E.Platform.Declare()", build.Output, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), clock.Elapsed.ToString());
    }

    [Fact]
    public void Environment_Exit_in_user_code_with_drift_fails_and_is_not_remembered_as_a_pass()
    {
        var project = Accepted("Exit");
        project.WriteDeployments(maxNumSeqs: 32);
        var source = File.ReadAllText(Path.Combine(project.Directory, "Deployments.cs"));
        project.WriteSource("Deployments.cs", source.Replace("yield return chat;", "System.Environment.Exit(0);\n        yield return chat;", StringComparison.Ordinal));

        var first = project.Build();
        var second = project.Build();

        Assert.False(first.Succeeded, first.ToString());
        Assert.Equal(["CAC9014"], DotNet.ErrorCodes(first.Output));
        Assert.DoesNotContain("MSB6006", first.Output, StringComparison.Ordinal);
        Assert.False(second.Succeeded, "no stamp: the next build runs the gate again");
    }

    [Fact]
    public void A_config_project_that_uses_a_class_library_and_a_package_builds_and_gates()
    {
        var project = new ConfigProject(feed, output, "WithLibrary");
        var library = Path.Combine(Path.GetDirectoryName(project.Directory)!, "Shared-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(library);
        File.WriteAllText(Path.Combine(library, "Shared.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable></PropertyGroup>
              <ItemGroup><PackageReference Include="YamlDotNet" Version="16.3.0" /></ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(library, "Defaults.cs"), """
            namespace Shared;

            public static class Defaults
            {
                // Uses the package at evaluation time, as real shared code does (a team's YAML of defaults).
                public static int MaxNumSeqs => new YamlDotNet.Serialization.Deserializer().Deserialize<int>("48");
            }
            """);
        project.AddToProject($"""<ItemGroup><ProjectReference Include="{Path.Combine(library, "Shared.csproj")}" /></ItemGroup>""");
        project.WriteSource("Deployments.cs", Platform("        yield return chat with { Engine = new VllmEngine { MaxNumSeqs = Shared.Defaults.MaxNumSeqs, MaxNumBatchedTokens = 8192, MaxModelLen = 8192 } };"));

        var accept = project.Build("-p:ConfigAsCodeAcceptChanges=true");
        var rebuild = project.Build();

        Assert.True(accept.Succeeded, accept.ToString());
        Assert.DoesNotContain("CAC9004", accept.Output, StringComparison.Ordinal);
        Assert.Contains("--max-num-seqs=48", File.ReadAllText(Path.Combine(project.Snapshots, "prod", "chat", "deployment-chat.yaml")), StringComparison.Ordinal);
        Assert.True(rebuild.Succeeded, rebuild.ToString());
    }

    [Fact]
    public void Every_input_the_gate_reads_re_runs_it()
    {
        var project = Accepted("Inputs");
        project.WriteSource("Deployments.cs", File.ReadAllText(Path.Combine(project.Directory, "Deployments.cs")).Replace("yield return chat;", "yield return chat with { Scaling = new ScalingSpec { MinReplicas = 1, MaxReplicas = 4 } };", StringComparison.Ordinal));
        Assert.True(project.Build("-p:ConfigAsCodeAcceptChanges=true -p:TreatWarningsAsErrors=false").Succeeded);

        // CAC1006 (single replica in production) is a warning; as an error it must fail the next build although nothing else changed.
        var promoted = project.Build("-p:TreatWarningsAsErrors=true");
        Assert.False(promoted.Succeeded, promoted.ToString());
        Assert.Contains("error CAC1006", promoted.Output, StringComparison.Ordinal);

        var severity = project.Build("-p:ConfigAsCodeRuleSeverities=CAC1006=error");
        Assert.False(severity.Succeeded, severity.ToString());
        Assert.True(project.Build().Succeeded);

        // A snapshot edited with its timestamp kept is still seen.
        var snapshot = Path.Combine(project.Snapshots, "prod", "chat", "service-chat.yaml");
        var stamp = File.GetLastWriteTimeUtc(snapshot);
        File.WriteAllText(snapshot, File.ReadAllText(snapshot).Replace("port: 8000", "port: 8001", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(snapshot, stamp);
        var edited = project.Build();
        Assert.False(edited.Succeeded, edited.ToString());
        Assert.Contains("CAC9001", DotNet.ErrorCodes(edited.Output));
    }

    [Fact]
    public void A_property_can_lower_no_rule_that_refuses_suppression()
    {
        var project = Accepted("Severities");
        project.WriteSource("Deployments.cs", Platform("        yield return chat with { Security = new SecuritySpec { Privileged = true } };\n        yield return chat with { Name = \"summarize\" };"));

        var build = project.Build("-p:RunAnalyzers=false \"-p:ConfigAsCodeRuleSeverities=CAC2003=none\" -p:ConfigAsCodeAcceptChanges=true");

        Assert.False(build.Succeeded);
        Assert.Contains("CAC9015", DotNet.ErrorCodes(build.Output));
        Assert.Contains("lowers CAC2003", build.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("privileged: true", File.ReadAllText(Path.Combine(project.Snapshots, "prod", "chat", "deployment-chat.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public void Warnings_as_errors_stop_an_accept_and_an_up_to_date_gate_replays_its_warnings()
    {
        var project = Accepted("WarnAsError");
        var before = project.SnapshotBytes();
        project.WriteSource("Deployments.cs", Platform("        yield return chat with { Scaling = new ScalingSpec { MinReplicas = 1, MaxReplicas = 4 } };\n        yield return chat with { Name = \"summarize\" };"));

        var accept = project.Build("-p:TreatWarningsAsErrors=true -p:RunAnalyzers=false -p:ConfigAsCodeAcceptChanges=true");

        Assert.False(accept.Succeeded);
        Assert.Contains("CAC9013", DotNet.ErrorCodes(accept.Output));
        Assert.Equal(before, project.SnapshotBytes());

        // Accepted with the warning, then built twice more: the second build skips the gate, and still shows the
        // warning, so the -warnaserror switch (which tasks cannot see in SDK projects) still fails it.
        Assert.True(project.Build("-p:RunAnalyzers=false -p:ConfigAsCodeAcceptChanges=true").Succeeded);
        Assert.True(project.Build("-p:RunAnalyzers=false").Succeeded);
        var strict = project.Build("-warnaserror -p:RunAnalyzers=false");
        Assert.Contains("up to date", strict.Output, StringComparison.Ordinal);
        Assert.False(strict.Succeeded, strict.ToString());
        Assert.Contains("error CAC1006", strict.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_output_folder_set_without_a_trailing_separator_still_replays_its_warnings_when_up_to_date()
    {
        // ConfigAsCodeOutputDirectory written as a folder name usually is (no trailing '/'): the up-to-date build must
        // replay that folder's warnings.log, or a later -warnaserror build passes on a warning the full run reported.
        var project = Accepted("OutputNoSlash");
        project.WriteSource("Deployments.cs", Platform("        yield return chat with { Scaling = new ScalingSpec { MinReplicas = 1, MaxReplicas = 4 } };\n        yield return chat with { Name = \"summarize\" };"));
        const string Folder = "-p:RunAnalyzers=false -p:ConfigAsCodeOutputDirectory=obj/gate";

        Assert.True(project.Build(Folder + " -p:ConfigAsCodeAcceptChanges=true").Succeeded);
        Assert.True(project.Build(Folder).Succeeded);
        var strict = project.Build(Folder + " -warnaserror");

        Assert.Contains("up to date", strict.Output, StringComparison.Ordinal);
        Assert.False(strict.Succeeded, strict.ToString());
        Assert.Contains("error CAC1006", strict.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(project.Directory, "obj", "gate", "warnings.log")));
    }

    [Fact]
    public void An_up_to_date_build_in_the_hour_after_clocks_go_back_still_replays_its_warnings()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // a zone file named by TZ is how .NET reads the local zone there
        }

        // The autumn daylight-saving change: in local time, a build in the hour after it is older than the stamp the
        // last run left before it, and an up-to-date build neither said so nor replayed its warnings (-warnaserror passed).
        var project = Accepted("ClocksBack");
        project.WriteSource("Deployments.cs", Platform("        yield return chat with { Scaling = new ScalingSpec { MinReplicas = 1, MaxReplicas = 4 } };\n        yield return chat with { Name = \"summarize\" };"));
        Assert.True(project.Build("-p:RunAnalyzers=false -p:ConfigAsCodeAcceptChanges=true").Succeeded);
        Assert.True(project.Build("-p:RunAnalyzers=false").Succeeded);

        var zone = Path.Combine(project.Directory, "..", "clocks-back-" + Guid.NewGuid().ToString("N"));
        var change = DateTimeOffset.UtcNow.AddSeconds(1);
        WriteZoneSettingClocksBack(zone, change);
        System.Threading.Thread.Sleep(TimeSpan.FromSeconds(2));
        var strict = project.Build("-warnaserror -p:RunAnalyzers=false", new Dictionary<string, string> { ["TZ"] = zone });

        Assert.Contains("up to date", strict.Output, StringComparison.Ordinal);
        Assert.False(strict.Succeeded, strict.ToString());
        Assert.Contains("error CAC1006", strict.Output, StringComparison.Ordinal);
    }

    /// <summary>A TZif (version 1) zone an hour ahead of UTC until <paramref name="at"/>, then at UTC: clocks go back an hour.</summary>
    private static void WriteZoneSettingClocksBack(string path, DateTimeOffset at)
    {
        using var stream = File.Create(path);
        void Int(long value)
        {
            var bytes = BitConverter.GetBytes((int)value);
            if (BitConverter.IsLittleEndian)
            {
                Array.Reverse(bytes);
            }

            stream.Write(bytes);
        }

        stream.Write("TZif"u8);
        stream.Write(new byte[16]);
        foreach (var count in new[] { 0, 0, 0, 1, 2, 8 })
        {
            Int(count); // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
        }

        Int(at.ToUnixTimeSeconds());
        stream.WriteByte(1);
        Int(3600);
        stream.Write([0, 0]);
        Int(0);
        stream.Write([0, 4]);
        stream.Write("HF1\0HF0\0"u8);
    }

    [Fact]
    public void Links_planted_at_the_output_files_are_replaced_and_their_targets_never_written()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // creating symbolic links needs a privilege there
        }

        // A clone can carry links under obj/ (a PR that commits them): every file the gate writes or locks there is
        // replaced through a temporary file and a rename, or unlinked, never opened through the link.
        var project = Accepted("Planted");
        var output = Path.Combine(project.Directory, "obj", "Debug", "net10.0", "configascode");
        var outside = Path.Combine(project.Directory, "..", "planted-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outside);
        string[] names = ["warnings.log", "report.json", "report.md", "report.sarif", "pr-comment.md", "drift.diff", "configascode.lock"];
        foreach (var name in names)
        {
            File.WriteAllText(Path.Combine(outside, name), "keep");
            File.Delete(Path.Combine(output, name));
            File.CreateSymbolicLink(Path.Combine(output, name), Path.Combine(outside, name));
        }

        // The task's inputs signature, beside the output folder, as a dangling link: neither read through (a stack
        // trace from the task) nor written through (creating its target).
        var inputs = Path.Combine(project.Directory, "obj", "Debug", "net10.0", "configascode.inputs");
        File.Delete(inputs);
        File.CreateSymbolicLink(inputs, Path.Combine(outside, "created-through-the-inputs"));

        // The output folder's marker, as a link to a file that must keep its bytes.
        var marker = Path.Combine(output, ".configascode-output");
        File.WriteAllText(Path.Combine(outside, "marker"), "keep");
        File.Delete(marker);
        File.CreateSymbolicLink(marker, Path.Combine(outside, "marker"));

        // The fresh tree itself, as a link to a folder the gate does not own: it must not be emptied.
        var fresh = Path.Combine(output, "deploy");
        var tree = Path.Combine(outside, "tree");
        Directory.CreateDirectory(tree);
        File.WriteAllText(Path.Combine(tree, "keep.txt"), "keep");
        Directory.Delete(fresh, recursive: true);
        Directory.CreateSymbolicLink(fresh, tree);

        // The gate's stamp, as a link dated in the future (a restored obj/ cache keeps a link's own date): MSBuild reads
        // the link's date and would count the gate as up to date for good, so the drift below would never be checked.
        var stamp = Path.Combine(project.Directory, "obj", "Debug", "net10.0", "configascode.stamp");
        File.WriteAllText(Path.Combine(outside, "future"), "keep");
        File.Delete(stamp);
        File.CreateSymbolicLink(stamp, Path.Combine(outside, "future"));
        using (var touch = Process.Start("touch", ["-h", "-d", "2099-01-01T00:00:00Z", stamp]))
        {
            touch.WaitForExit();
            Assert.Equal(0, touch.ExitCode);
        }

        // A change with a warning (one replica) and drift: every report, the diff and warnings.log are written.
        project.WriteSource("Deployments.cs", Platform("        yield return chat with { Scaling = new ScalingSpec { MinReplicas = 1, MaxReplicas = 4 } };"));
        var build = project.Build("-p:RunAnalyzers=false");

        Assert.Contains("CAC9001", DotNet.ErrorCodes(build.Output));
        Assert.DoesNotContain("MSB4018", build.Output, StringComparison.Ordinal);
        Assert.All(names.Append("marker").Append("future"), name => Assert.Equal("keep", File.ReadAllText(Path.Combine(outside, name))));
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(tree).Select(Path.GetFileName));
        Assert.Null(new FileInfo(inputs).LinkTarget);
        Assert.False(File.Exists(Path.Combine(outside, "created-through-the-inputs")));
        Assert.All(names.Select(name => Path.Combine(output, name)).Append(marker).Append(stamp), path => Assert.Null(new FileInfo(path).LinkTarget));
        Assert.Null(new DirectoryInfo(fresh).LinkTarget);
        Assert.Contains("CAC1006", File.ReadAllText(Path.Combine(output, "report.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Editing_the_price_file_re_runs_the_gate()
    {
        var project = new ConfigProject(feed, output, "PriceFile");
        File.WriteAllText(Path.Combine(project.Directory, "prices.json"), """{ "gpu": [ { "gpu": "l4", "provider": "aws", "region": "us-east-1", "usdPerGpuHour": 0.978, "date": "2026-11-01", "source": "list" } ] }""");
        Assert.True(project.Build("-p:ConfigAsCodePriceFile=prices.json -p:ConfigAsCodeAcceptChanges=true").Succeeded);
        Assert.True(project.Build("-p:ConfigAsCodePriceFile=prices.json").Succeeded);

        File.WriteAllText(Path.Combine(project.Directory, "prices.json"), """{ "gpu": [ { "gpu": "l4", "provider": "aws", "region": "us-east-1", "usdPerGpuHour": 1.956, "date": "2026-11-01", "source": "list" } ] }""");
        var build = project.Build("-p:ConfigAsCodePriceFile=prices.json");

        Assert.False(build.Succeeded, build.ToString());
        Assert.Contains("usd-per-gpu-hour: 0.978 → 1.956", build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_thread_left_running_by_user_code_does_not_hang_the_build()
    {
        var project = Accepted("Thread");
        var source = File.ReadAllText(Path.Combine(project.Directory, "Deployments.cs"));
        project.WriteSource("Deployments.cs", source.Replace("yield return chat;", "new System.Threading.Thread(() => { while (true) System.Threading.Thread.Sleep(1000); }).Start();\n        yield return chat;", StringComparison.Ordinal));
        var clock = Stopwatch.StartNew();

        var build = project.Build("-p:RunAnalyzers=false");

        Assert.True(build.Succeeded, build.ToString());
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), clock.Elapsed.ToString());
    }

    [Fact]
    public void An_exception_on_a_thread_of_user_code_is_one_coded_error_and_redacted()
    {
        var project = new ConfigProject(feed, output, "Crash");
        var token = "hf_" + "QwErTyUiOpAsDfGhJkLzXcVbNmQwErTyUi";
        project.WriteSource("Deployments.cs", Platform($"        var t = new System.Threading.Thread(() => throw new InvalidOperationException(\"model download failed with token {token}\"));\n        t.Start(); t.Join();\n        yield return chat;"));

        var build = project.Build("-p:RunAnalyzers=false -v:d");

        Assert.False(build.Succeeded);
        Assert.Equal(["CAC9014"], DotNet.ErrorCodes(build.Output));
        Assert.DoesNotContain(token, build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_snapshot_folder_the_gate_refuses_is_not_read_before_it_is_refused()
    {
        var project = new ConfigProject(feed, output, "ProcSelf");

        var build = project.Build("-p:ConfigAsCodeSnapshotDirectory=/proc/self");

        AssertRefusedWithCAC9011Only(build);
    }

    [Fact]
    public void A_committed_link_at_the_snapshot_index_is_refused_without_being_read()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // creating symbolic links needs a privilege there
        }

        // A pull request can commit deploy/.configascode/provenance.json as a link (git keeps links): to /dev/zero, a
        // read through it never ends. The task signs the link as a link; the host refuses it.
        var project = Accepted("IndexLink");
        var index = Path.Combine(project.Snapshots, ".configascode", "provenance.json");
        File.Delete(index);
        File.CreateSymbolicLink(index, "/dev/zero");

        var build = project.Build("-p:RunAnalyzers=false");

        AssertRefusedWithCAC9011Only(build);
    }

    [Fact]
    public void A_stamp_dated_in_the_future_does_not_skip_the_gate()
    {
        // A restored obj/ cache (or a clock set back) can leave the gate's stamp dated after every input: MSBuild's
        // up-to-date check would skip the gate until then, and the drift below would never be checked.
        var project = Accepted("FutureStamp");
        var stamp = Path.Combine(project.Directory, "obj", "Debug", "net10.0", "configascode.stamp");
        Assert.True(File.Exists(stamp));
        project.WriteSource("Deployments.cs", Platform("        yield return chat with { Scaling = new ScalingSpec { MinReplicas = 1, MaxReplicas = 4 } };"));
        File.SetLastWriteTimeUtc(stamp, new DateTime(2099, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        var build = project.Build("-p:RunAnalyzers=false");

        Assert.False(build.Succeeded);
        Assert.Contains("CAC9001", DotNet.ErrorCodes(build.Output));
    }

    [Fact]
    public void An_up_to_date_build_says_so()
    {
        var project = Accepted("UpToDate");

        // The accept changed the snapshots, so the first build after it checks them once more.
        var verify = project.Build();
        var build = project.Build();

        Assert.True(verify.Succeeded);
        Assert.Contains("no drift against deploy", verify.Output, StringComparison.Ordinal);
        Assert.True(build.Succeeded);
        Assert.Contains("ConfigAsCode: up to date: no drift against deploy", build.Output, StringComparison.Ordinal);
        Assert.Contains("snapshots checked as this build started).", build.Output, StringComparison.Ordinal);

        // An inputs file dated in the future (a restored obj/ cache) is rewritten, so it does not stay newer than the
        // stamp and run the gate on every build: once more, then up to date again.
        File.SetLastWriteTimeUtc(Path.Combine(project.Directory, "obj", "Debug", "net10.0", "configascode.inputs"), new DateTime(2099, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var again = project.Build();
        var settled = project.Build();
        Assert.True(again.Succeeded);
        Assert.True(settled.Succeeded);
        Assert.Contains("ConfigAsCode: up to date: no drift against deploy", settled.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_link_added_to_the_snapshot_folder_after_a_pass_runs_the_gate()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // creating symbolic links needs a privilege there
        }

        // The gate refuses a link anywhere in the snapshot folder (CAC9011). The no-op check signed the owned files
        // alone, so a link added beside them after a pass left the next build "up to date: no drift", and it passed.
        var project = Accepted("LinkAfterPass");
        Assert.True(project.Build().Succeeded);
        var upToDate = project.Build();
        Assert.Contains("ConfigAsCode: up to date: no drift against deploy", upToDate.Output, StringComparison.Ordinal);
        var manifests = Path.GetDirectoryName(Directory.GetFiles(project.Snapshots, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First())!;
        File.CreateSymbolicLink(Path.Combine(manifests, "notes.yaml"), Path.Combine(project.Directory, "Deployments.cs"));

        var build = project.Build();

        Assert.False(build.Succeeded);
        Assert.DoesNotContain("up to date", build.Output, StringComparison.Ordinal);
        Assert.Contains("CAC9011", DotNet.ErrorCodes(build.Output));
    }

    [Fact]
    public async System.Threading.Tasks.Task A_second_run_on_the_same_output_folder_waits_for_the_first()
    {
        if (OperatingSystem.IsMacOS())
        {
            return; // .NET has no region locks there; the host locks with FileShare.None (OutputLock.cs)
        }

        var project = Accepted("Lock");
        var lockFile = Path.Combine(project.Directory, "obj", "Debug", "net10.0", "configascode", "configascode.lock");
        Assert.True(File.Exists(lockFile), lockFile);
        File.AppendAllText(Path.Combine(project.Directory, "Deployments.cs"), "\n// edited\n");

        // Another process (this test) holds the output folder's lock, as a build still running would, until three
        // seconds after the config assembly is compiled, so the gate starts while it is held.
        var assembly = Path.Combine(project.Directory, "obj", "Debug", "net10.0", "Lock.dll");
        var compiledBefore = File.GetLastWriteTimeUtc(assembly);
        using var held = new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        held.Lock(0, 1);
        var running = System.Threading.Tasks.Task.Run(() => project.Build("-v:n -p:RunAnalyzers=false"));
        while (!running.IsCompleted && File.GetLastWriteTimeUtc(assembly) == compiledBefore)
        {
            await System.Threading.Tasks.Task.Delay(50);
        }

        await System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(3));
        held.Unlock(0, 1);
        var build = await running;

        Assert.True(build.Succeeded, build.ToString());
        var waited = System.Text.RegularExpressions.Regex.Match(build.Output, @"waiting for another build of this project ([\d,]+) ms");
        Assert.True(waited.Success, build.ToString());
        Assert.True(int.Parse(waited.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture) >= 1000, waited.Value);
    }
}
