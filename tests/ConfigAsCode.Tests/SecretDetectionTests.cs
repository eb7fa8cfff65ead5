using System;
using System.Linq;
using ConfigAsCode.Synthesis.Secrets;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>Token formats from DOMAIN.md §7 are caught; digests, model ids and URLs are not; values never leak.</summary>
public sealed class SecretDetectionTests
{
    // Assembled at run time so this file does not itself look like it holds credentials.
    public static TheoryData<string, string> Tokens => new()
    {
        { "OpenAI", "sk-proj-" + new string('A', 24) + "T3BlbkFJ" + new string('b', 20) },
        { "OpenAI legacy", "sk-" + new string('a', 20) + "T3BlbkFJ" + new string('Z', 20) },
        { "Anthropic", "sk-ant-api03-" + new string('x', 93) + "AA" },
        { "Hugging Face", "hf_" + new string('k', 34) },
        { "Hugging Face org", "api_org_" + new string('Q', 34) },
        { "GitHub", "ghp_" + new string('9', 36) },
        { "GitHub fine-grained", "github_pat_" + new string('a', 82) },
        { "AWS", "AKIA" + "IOSFODNN7EXAMPLE" },
        { "Slack", "xoxb-" + "123456789012-abcdefghij" },
        { "Google", "AIza" + new string('S', 35) },
        { "Private key", "-----BEGIN RSA " + "PRIVATE KEY-----" },
        { "High entropy", "q8ZrT3v9KpL2mXw7Yb4NcJ6sHd1Fg5Ae0Ru" },
    };

    [Theory]
    [MemberData(nameof(Tokens))]
    public void Known_token_formats_are_detected(string kind, string token)
    {
        Assert.True(SecretDetector.DetectTokenFormat(token) is not null, kind);
        if (kind != "High entropy")
        {
            // Formats are found inside longer text; the entropy check only judges a whole value.
            Assert.True(SecretDetector.DetectTokenFormat("prefix " + token + " suffix") is not null, kind + " embedded");
        }
    }

    /// <summary>
    /// A shortest value of each format (worked out from its pattern), by the format's index, with the kind it reports.
    /// Every one must be detected, found as a part and redacted: a length floor above any of them, or a trigger the
    /// prefilter misses, lets that credential through whole. One row per format, so a new format needs its row.
    /// </summary>
    public static TheoryData<int, string, string> ShortestMatches => new()
    {
        { 0, "OpenAI API key", "sk-proj-" + new string('a', 20) },
        { 1, "OpenAI API key", "sk-" + new string('a', 20) + "T3BlbkFJ" + new string('a', 20) },
        { 2, "Anthropic API key", "sk-ant-api03-" + new string('x', 93) + "AA" },
        { 3, "Hugging Face token", "hf_" + new string('k', 34) },
        { 4, "Hugging Face token", "api_org_" + new string('Q', 34) },
        { 5, "GitHub token", "ghp_" + new string('9', 36) },
        { 6, "GitHub token", "github_pat_" + new string('a', 82) },
        { 7, "AWS access key", "AKIA" + new string('Q', 16) },
        { 8, "Slack token", "xoxb-" + new string('1', 10) },
        { 9, "Slack token", "xapp-1-A-1-a" },
        { 10, "Google API key", "AIza" + new string('S', 35) },
        { 11, "Stripe secret key", "sk_live_" + new string('0', 16) },
        { 12, "JSON Web Token", "eyJ" + new string('a', 8) + ".eyJ" + new string('a', 8) + "." + new string('a', 8) },
        { 13, "Azure storage key", "AccountKey=" + new string('Z', 20) },
        { 14, "Azure storage key", "SharedAccessKey=" + new string('Z', 20) },
        { 15, "Azure shared access signature", "SharedAccessSignature=" + new string('Z', 16) },
        { 16, "Azure shared access signature", "?sig=" + new string('Z', 16) },
        { 17, "bearer token", "bearer 1" + new string('a', 15) },
        { 18, "basic credential", "authorization=basic " + new string('Q', 8) },
        { 19, "API key header", "apikey=" + new string('z', 12) },
        { 20, "API key header", "x-auth-token=" + new string('z', 12) },
        { 21, "password in a URL", "://:p@" },
        { 22, "private key", "-----BEGIN" + "PRIVATE KEY-----" },
        { 23, "Slack webhook URL", "hooks.slack.com/services/" + new string('T', 20) },
    };

    [Theory]
    [MemberData(nameof(ShortestMatches))]
    public void The_shortest_value_of_every_format_is_detected_and_redacted(int format, string kind, string value)
    {
        Assert.Equal(format, SecretDetector.FormatIndex(value));
        Assert.Equal(kind, SecretDetector.DetectTokenFormat(value));
        Assert.Contains(value, SecretDetector.CredentialParts(value));
        Assert.Equal(SecretDetector.Placeholder, SecretDetector.Redact(value));
        Assert.Null(SecretDetector.DetectTokenFormat(value[..^1]));
    }

    [Theory]
    [InlineData("https://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdEFGHijklMNOPqrstUVWX")]
    [InlineData("https://hooks.slack-gov.com/services/T0123ABCD/B0456EFGH/abcdEFGHijklMNOPqrstUVWX")]
    [InlineData("https://HOOKS.slack.com/workflows/T0123ABCD/A0456EFGH/123456789/abcdEFGHijklMNOPqrstUVWX")]
    public void A_slack_webhook_url_in_a_variable_named_like_a_url_is_a_credential(string url)
    {
        Assert.NotNull(SecretDetector.Explain("SLACK_WEBHOOK_URL", url));
        Assert.Equal(SecretDetector.Placeholder, SecretDetector.Redact(url).Replace("https://", string.Empty, StringComparison.Ordinal));
        Assert.Null(SecretDetector.DetectTokenFormat("https://hooks.slack.com/services/"));
    }

    [Fact]
    public void Every_format_has_its_shortest_match()
    {
        Assert.Equal(Enumerable.Range(0, SecretDetector.FormatCount), ShortestMatches.Select(row => (int)row[0]));
    }

    [Theory]
    [InlineData("redis://:hunter2@cache:6379")]
    [InlineData("amqp://u:hunter2@mq")]
    [InlineData("https://svc:hunter2@sha256.internal:443/x")]
    public void A_password_in_a_url_is_found_with_or_without_a_user_name(string url)
    {
        Assert.Equal("password in a URL", SecretDetector.DetectTokenFormat(url));
        Assert.DoesNotContain("hunter2", SecretDetector.Redact(url), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sha256:0f6bd6d1d2cb2b7f5e0e4a1a3a4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3")]
    [InlineData("meta-llama/Llama-3.1-70B-Instruct")]
    [InlineData("https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct/resolve/main/config.json")]
    [InlineData("http://otel-collector.observability.svc.cluster.local:4317")]
    [InlineData("0e9e39f249a16976918f6564b8830bc894c89659")]
    [InlineData("expandable_segments:True")]
    [InlineData("vllm/vllm-openai:v0.6.4")]
    [InlineData("/models/cache/huggingface/hub")]
    [InlineData("s3://models/rerankers/bge-reranker-v2-m3")]
    [InlineData("docker://nginx:1.25@sha256:0f6bd6d1d2cb2b7f5e0e4a1a3a4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3")]
    [InlineData("http://router.inference:8000?owner=ml@example.com")]
    [InlineData("http://[::1]:8000#x@y")]
    [InlineData("ssh://git@github.com:22/acme/models")]
    public void Digests_model_ids_and_urls_are_not_secrets(string value)
    {
        Assert.Null(SecretDetector.DetectTokenFormat(value));
        Assert.Null(SecretDetector.Explain("MODEL_SOURCE", value));
    }

    [Theory]
    [InlineData("DB_PASSWORD")]
    [InlineData("HF_TOKEN")]
    [InlineData("AWS_SECRET_ACCESS_KEY")]
    [InlineData("AZURE_STORAGE_KEY")]
    [InlineData("OPENAI_API_KEY")]
    [InlineData("auth_bearer")]
    public void Sensitive_names_must_not_carry_literals(string name)
    {
        Assert.True(SecretDetector.IsSensitiveName(name));
        Assert.NotNull(SecretDetector.Explain(name, "anything"));
    }

    [Fact]
    public void The_finding_never_contains_the_secret_value()
    {
        var token = "hf_" + new string('k', 34);
        var d = Fixtures.Compliant() with { Env = [EnvVar.Literal("HUGGING_FACE_HUB_TOKEN", token), EnvVar.Literal("MODEL_CACHE", token)] };

        var report = Fixtures.Validate(d);

        Assert.Equal(2, report.Findings.Count(f => f.Id == "CAC2001"));
        Assert.All(report.Findings, f => Assert.DoesNotContain(token, f.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Redact_replaces_tokens_in_free_text()
    {
        var token = "ghp_" + new string('z', 36);

        Assert.Equal("login failed for <redacted> at host", SecretDetector.Redact($"login failed for {token} at host"));
    }

    [Fact]
    public void Secret_references_are_never_flagged()
    {
        var d = Fixtures.Compliant() with { Env = [EnvVar.FromSecret("HF_TOKEN", "hf-token", "token")] };

        Assert.Empty(Fixtures.Validate(d).Findings);
    }
    /// <summary>
    /// The one-pass trigger search finds exactly what a search per trigger without regard to case finds in ASCII text,
    /// on strings built from trigger pieces in both cases and other ASCII; any character outside ASCII (some of which
    /// the formats' case-insensitive parts take for ASCII letters: 'ſ', 'ı', the Kelvin sign) sends the value to the
    /// formats.
    /// </summary>
    [Fact]
    public void The_trigger_prefilter_finds_what_a_search_per_trigger_finds()
    {
        var random = new Random(20261202);
        var pieces = SecretDetector.FormatTriggers.SelectMany(t => new[] { t, t.ToUpperInvariant(), t[..Math.Max(1, t.Length - 1)], t[1..] })
            .Concat(["a", "S", "k", "-", ":", "/", "_", "=", " ", "x", "ſ", "ı", "\u212A", "é", "ß", "\uD83D\uDE00"]).ToArray();
        var found = 0;
        for (var n = 0; n < 100_000; n++)
        {
            var value = string.Concat(Enumerable.Range(0, random.Next(0, 8)).Select(_ => pieces[random.Next(pieces.Length)]));
            var expected = value.Any(c => c >= 128) || SecretDetector.FormatTriggers.Any(t => value.IndexOf(t, StringComparison.OrdinalIgnoreCase) >= 0);
            Assert.True(expected == SecretDetector.MayHaveFormat(value), value);
            found += expected ? 1 : 0;
        }

        // Both answers are common, so neither is only ever given.
        Assert.InRange(found, 10_000, 90_000);
        Assert.True(SecretDetector.MayHaveFormat("KEY="));
        Assert.True(SecretDetector.MayHaveFormat("é"));
        Assert.False(SecretDetector.MayHaveFormat("meta-llama/Llama-3.1-8B-Instruct"));
    }

    [Fact]
    public void The_triggers_are_lower_case_ASCII_as_the_one_pass_search_reads_them()
    {
        Assert.All(SecretDetector.FormatTriggers, t => Assert.True(t.Length > 0 && t.All(c => c < 128 && !char.IsUpper(c)), t));
    }

    [Fact]
    public void A_credential_whose_header_has_a_letter_the_formats_fold_onto_ASCII_is_caught()
    {
        // The Kelvin sign for 'k': the header format is case-insensitive and takes it for the letter, where a search for
        // the "-token" trigger did not, and the value went unredacted.
        var value = "x-auth-to\u212Aen: " + new string('q', 24);

        Assert.Equal("API key header", SecretDetector.DetectTokenFormat(value));
        Assert.NotEmpty(SecretDetector.CredentialParts(value));
    }
}
