extern alias synthesis;

using System;
using System.IO;
using System.Runtime.Loader;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;
using Renderer = synthesis::ConfigAsCode.Synthesis.Rendering.ManifestRenderer;
using V = ConfigAsCode.Analyzers.Tests.Verify<ConfigAsCode.Analyzers.DeploymentAnalyzer>;

namespace ConfigAsCode.Analyzers.Tests;

/// <summary>
/// As you type, the constant values the build refuses: CAC9008 for what the renderer refuses (ManifestRenderer.RefusedValue:
/// a ServiceAccount name, a port, an environment variable name) and CAC9020 for a SecretReference the model throws on.
/// Never a value that is not certainly refused: not a computed one, not a default, not one a visible <c>with</c> replaces.
/// </summary>
public sealed class RefusedValueTests
{
    private const string Deployment = """
        var d = new InferenceDeployment
        {
            Name = "chat",
            Namespace = "inference",
            Environment = DeploymentEnvironment.Prod,
            Model = new ModelSpec { Id = "meta-llama/Llama-3.1-8B-Instruct", Revision = "0e9e39f249a16976918f6564b8830bc894c89659" },
            Engine = ENGINE,
            Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = "v0.6.4", Digest = "sha256:0f6bd6d1d2cb2b7f5e0e4a1a3a4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3" },
            Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L4, Count = 1 },
            Cost = new CostAttribution { Team = "ml", CostCenter = "cc-1" },
            Security = SECURITY,
        }WITH;
        """;

    private const string Vllm = "new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192 }";

    private static string Class(string body, string members = "") => V.Usings + "class C\n{\n" + members + "\n    void M(string text, int number)\n    {\n" + body + "\n    }\n}\n";

    private static string Declared(string engine = Vllm, string security = "new SecuritySpec()", string with = "") =>
        Deployment.Replace("ENGINE", engine, StringComparison.Ordinal).Replace("SECURITY", security, StringComparison.Ordinal).Replace("WITH", with, StringComparison.Ordinal);

    [Fact]
    public Task A_service_account_name_the_api_server_refuses_is_CAC9008_on_the_value() =>
        V.Analyzer(Class("""
            var a = new SecuritySpec { ServiceAccountName = {|CAC9008:"Chat_SA"|} };
            var b = new SecuritySpec { RunAsUser = 1000, ServiceAccountName = {|CAC9008:""|} };
            var c = new SecuritySpec { ServiceAccountName = {|CAC9008:"-chat"|} };
            var e = new SecuritySpec() with { ServiceAccountName = {|CAC9008:"chat sa"|} };
            """ + "\n" + Declared(security: "new SecuritySpec { ServiceAccountName = {|CAC9008:\"Inference.SA\"|} }")));

    [Fact]
    public Task A_port_outside_1_to_65535_is_CAC9008_on_the_value() =>
        V.Analyzer(Class("""
            var v = new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, HttpPort = {|CAC9008:0|} };
            var t = new TgiEngine { MaxBatchTotalTokens = 16384, MaxBatchPrefillTokens = 4096, HttpPort = {|CAC9008:70000|} };
            var g = new TritonEngine { HttpPort = {|CAC9008:-1|}, GrpcPort = {|CAC9008:65536|}, MetricsPort = {|CAC9008:int.MaxValue|} };
            var p = new Probe { Path = "/health", Port = {|CAC9008:0|} };
            var w = new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192 } with { HttpPort = {|CAC9008:99999|} };
            """ + "\n" + Declared(engine: "new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, HttpPort = {|CAC9008:100000|} }")));

    [Fact]
    public Task An_environment_variable_name_the_api_server_refuses_is_CAC9008_on_the_name() =>
        V.Analyzer(Class("""
            var a = EnvVar.Literal({|CAC9008:"K=V"|}, "x");
            var b = EnvVar.Literal(value: "x", name: {|CAC9008:"MY VAR"|});
            var c = EnvVar.FromSecret({|CAC9008:"1TOKEN"|}, "hf-token", "token");
            var e = EnvVar.Literal("LOG_LEVEL", "info") with { Name = {|CAC9008:"LOG=LEVEL"|} };
            var f = new List<EnvVar> { EnvVar.Literal({|CAC9008:"A B"|}, "1") };
            """));

    [Fact]
    public Task A_refused_value_is_followed_through_a_const_field() =>
        V.Analyzer(Class(
            """
            var s = new SecuritySpec { ServiceAccountName = {|CAC9008:Account|} };
            var v = new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, HttpPort = {|CAC9008:Port|} };
            var e = EnvVar.Literal({|CAC9008:Variable|}, "x");
            var r = new SecretReference("hf-token", {|CAC9020:Key|});
            """,
            "    const string Account = \"Chat_SA\";\n    const int Port = 0;\n    const string Variable = \"K=V\";\n    const string Key = \"hf token\";\n"));

    [Fact]
    public Task A_secret_key_or_name_secret_reference_throws_on_is_CAC9020_on_the_value() =>
        V.Analyzer(Class("""
            var a = new SecretReference("hf-token", {|CAC9020:"bad key!"|});
            var b = new SecretReference(key: {|CAC9020:"..x"|}, name: "hf-token");
            var c = EnvVar.FromSecret("HF_TOKEN", "hf-token", {|CAC9020:"."|});
            var e = new SecretReference("hf-token", {|CAC9020:""|});
            var f = a with { Key = {|CAC9020:"a/b"|} };
            var g = new SecretReference({|CAC9020:"HF_Token"|}, "token");
            var h = EnvVar.FromSecret("HF_TOKEN", {|CAC9020:"hf_token"|}, "token");
            var i = new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, ApiKey = new SecretReference("vllm-api", {|CAC9020:"api key"|}) };
            """));

    [Fact]
    public Task Values_the_api_server_accepts_are_quiet() =>
        V.Analyzer(Class("""
            var a = new SecuritySpec { ServiceAccountName = "chat-sa" };
            var b = new SecuritySpec { ServiceAccountName = "inference.chat-8b" };
            var c = new SecuritySpec { ServiceAccountName = null };
            var v = new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, HttpPort = 1 };
            var t = new TgiEngine { MaxBatchTotalTokens = 16384, MaxBatchPrefillTokens = 4096, HttpPort = 65535 };
            var g = new TritonEngine { HttpPort = 9000, GrpcPort = 9001, MetricsPort = 9002 };
            var p = new Probe { Path = "/health", Port = 8000 };
            var q = new Probe { Path = "/health", Port = null };
            var e = new List<EnvVar> { EnvVar.Literal("HF_HOME", "/cache"), EnvVar.Literal("a.b-c", "1"), EnvVar.Literal("_X", "1"), EnvVar.Literal("Weird..Name__", "1"), EnvVar.FromSecret("HF_TOKEN", "hf-token", "hf_token") };
            var r = new SecretReference("hf-token", "a..b");
            var s = new SecretReference("hf.token", "config.json");
            var defaults = new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192 };
            var probe = new Probe { Path = "/health" };
            var security = new SecuritySpec();
            """));

    [Fact]
    public Task Values_not_known_as_you_type_are_left_to_the_build() =>
        V.Analyzer(Class("""
            var a = new SecuritySpec { ServiceAccountName = text };
            var b = new SecuritySpec { ServiceAccountName = "Chat_SA".ToLowerInvariant() };
            var c = new SecuritySpec { ServiceAccountName = Environment.GetEnvironmentVariable("SA") };
            var v = new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, HttpPort = number };
            var t = new TritonEngine { GrpcPort = int.Parse("0") };
            var p = new Probe { Path = "/health", Port = number - 70000 };
            var e = EnvVar.Literal(text, "x");
            var f = EnvVar.Literal(text + "=", "x");
            var r = new SecretReference("hf-token", text);
            var s = EnvVar.FromSecret("HF_TOKEN", text, "token");
            var mutable = "Chat_SA";
            mutable = "chat-sa";
            var m = new SecuritySpec { ServiceAccountName = mutable };
            """));

    [Fact]
    public Task A_refused_value_a_visible_with_replaces_is_not_reported() =>
        V.Analyzer(Class(
            """
            var inline = new SecuritySpec { ServiceAccountName = "Chat_SA" } with { ServiceAccountName = "chat-sa" };
            var engine = new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, HttpPort = 0 };
            var fixedEngine = engine with { HttpPort = 8000 };
            var overridden = Base with { ServiceAccountName = "chat-sa" };
            var probe = new Probe { Path = "/health", Port = 0 };
            var probes = new HealthProbes { Readiness = probe with { Port = null } };
            """ + "\n" + Declared(engine: "new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, HttpPort = 0 }", security: "new SecuritySpec { ServiceAccountName = \"Chat_SA\" }", with: " with { Engine = " + Vllm + ", Security = new SecuritySpec() }"),
            "    static readonly SecuritySpec Base = new() { ServiceAccountName = \"Chat_SA\" };\n"));

    [Fact]
    public Task A_template_replaced_by_with_where_it_is_used_is_not_reported() =>
        V.Analyzer(Class(
            "var d2 = Template with { Security = new SecuritySpec() };",
            "    static readonly InferenceDeployment Template = " + Declared(security: "new SecuritySpec { ServiceAccountName = \"Chat_SA\" }").Replace("var d = ", string.Empty, StringComparison.Ordinal).TrimEnd() + "\n"));

    [Fact]
    public Task A_refused_value_a_helper_or_a_lambda_may_replace_is_not_reported() =>
        V.Analyzer(Class(
            """
            var hardened = Harden(new SecuritySpec { ServiceAccountName = "Chat_SA" });
            var fromLambda = new[] { 1 }.Select(_ => new SecuritySpec { ServiceAccountName = "Chat_SA" }).Select(s => s with { ServiceAccountName = null }).ToList();
            var copied = Copy(new SecuritySpec { ServiceAccountName = "Copied_SA" });
            var rebuilt = Fix(new Probe { Path = "/health", Port = 0 });
            """,
            "    static SecuritySpec Harden(SecuritySpec s) => s with { ServiceAccountName = \"chat-sa\" };\n    static SecuritySpec Copy(SecuritySpec s) => s;\n"
            // A helper of the project may build a new value from its argument: an error there broke a compile that
            // deploys port 8000.
            + "    static Probe Fix(Probe p) => p.Port == 0 ? new Probe { Path = p.Path, Port = 8000 } : p;\n").Replace("using System;", "using System;\nusing System.Linq;", StringComparison.Ordinal));

    [Fact]
    public async Task The_analyzer_gives_the_message_the_build_gives()
    {
        const string Source = """
            using System.Collections.Generic;
            using ConfigAsCode;

            public sealed class Platform : InferencePlatform
            {
                public override IEnumerable<InferenceDeployment> Declare()
                {
                    yield return new InferenceDeployment
                    {
                        Name = "chat",
                        Namespace = "inference",
                        Environment = DeploymentEnvironment.Dev,
                        Model = new ModelSpec { Id = "meta-llama/Llama-3.1-8B-Instruct", Revision = "0e9e39f249a16976918f6564b8830bc894c89659" },
                        Engine = ENGINE,
                        Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = "v0.6.4" },
                        Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L4, Count = 1 },
                        Security = new SecuritySpec { ServiceAccountName = ACCOUNT },
                        Env = [EnvVar.Literal(VARIABLE, "1")],
                    };
                }
            }
            """;

        foreach (var (engine, account, variable, path) in new[]
        {
            (Vllm, "\"Chat_SA\"", "\"LOG_LEVEL\"", "Security.ServiceAccountName"),
            ("new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, HttpPort = 70000 }", "null", "\"LOG_LEVEL\"", "Engine.HttpPort"),
            ("new TritonEngine { MetricsPort = 0 }", "null", "\"LOG_LEVEL\"", "Engine.MetricsPort"),
            (Vllm, "null", "\"K=V\"", "Env[K=V]"),
        })
        {
            var source = Source.Replace("ENGINE", engine, StringComparison.Ordinal).Replace("ACCOUNT", account, StringComparison.Ordinal).Replace("VARIABLE", variable, StringComparison.Ordinal);
            var run = await AnalyzerRun.Of(source);
            var reported = Assert.Single(run.Reported, d => d.Id == "CAC9008");

            var built = Rendered(run.Compilation);
            Assert.Equal("CAC9008", built.Id);
            Assert.Equal(path, built.PropertyPath);
            Assert.Equal(built.Message, reported.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task A_secret_key_message_is_the_one_the_model_throws_and_never_repeats_the_key()
    {
        var run = await AnalyzerRun.Of(Class("var r = new SecretReference(\"hf-token\", \"hf token\");"));
        var reported = Assert.Single(run.Reported, d => d.Id == "CAC9020").GetMessage(System.Globalization.CultureInfo.InvariantCulture);

        var thrown = Assert.Throws<ArgumentException>(() => new SecretReference("hf-token", "hf token"));
        Assert.StartsWith(thrown.Message.Replace(" (Parameter 'Key')", string.Empty, StringComparison.Ordinal), reported, StringComparison.Ordinal);
        Assert.Contains("CAC9004", reported, StringComparison.Ordinal);
        Assert.DoesNotContain("hf token", reported, StringComparison.Ordinal);
    }

    /// <summary>What the build's renderer says about the one deployment <paramref name="compilation"/> declares.</summary>
    private static synthesis::ConfigAsCode.Synthesis.Validation.Finding Rendered(Compilation compilation)
    {
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        var context = new AssemblyLoadContext("refused", isCollectible: true);
        try
        {
            var assembly = context.LoadFromStream(new MemoryStream(image.ToArray()));
            var evaluation = synthesis::ConfigAsCode.Synthesis.Evaluation.PlatformEvaluator.Evaluate(assembly);
            Assert.Empty(evaluation.Failures);
            var problem = Renderer.BuildDocuments(Assert.Single(evaluation.Deployments)).Problem;
            Assert.NotNull(problem);
            return problem;
        }
        finally
        {
            context.Unload();
        }
    }
}
