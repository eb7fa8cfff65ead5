using System;
using System.Linq;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>Name validation, overlays, safe defaults, catalogs and source locations.</summary>
public sealed class ModelTests
{
    [Theory]
    [InlineData("Chat")]
    [InlineData("chat_70b")]
    [InlineData("-chat")]
    [InlineData("chat-")]
    [InlineData("")]
    [InlineData("a.b")]
    public void Invalid_names_throw_an_argument_exception_that_says_how_to_fix_them(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => Fixtures.Compliant() with { Name = name });

        Assert.Equal("Name", e.ParamName);
        Assert.Contains("RFC 1123", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_longer_than_63_characters_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => Fixtures.Compliant() with { Name = new string('a', 64) });
        Assert.Equal(new string('a', 63), (Fixtures.Compliant() with { Name = new string('a', 63) }).Name);
    }

    [Fact]
    public void Namespaces_environments_and_secret_names_are_validated_too()
    {
        Assert.Throws<ArgumentException>(() => Fixtures.Compliant() with { Namespace = "Inference" });
        Assert.Throws<ArgumentException>(() => new DeploymentEnvironment("Prod"));
        Assert.Throws<ArgumentException>(() => new SecretReference("HF Token", "token"));
        Assert.Throws<ArgumentException>(() => new SecretReference("hf-token", ""));
        Assert.Equal("hf.token", new SecretReference("hf.token", "t").Name);
    }

    [Fact]
    public void Defaults_are_safe()
    {
        var d = Fixtures.Compliant();

        Assert.True(d.Security.RunAsNonRoot);
        Assert.True(d.Security.ReadOnlyRootFilesystem);
        Assert.False(d.Security.AllowPrivilegeEscalation);
        Assert.False(d.Security.AutomountServiceAccountToken);
        Assert.NotNull(d.Probes.Startup);
        Assert.NotNull(d.Probes.Readiness);
        Assert.NotNull(d.Probes.Liveness);
        Assert.Equal(2, d.Scaling.MinReplicas);
        Assert.Equal(ScalingSignalKind.QueueDepth, d.Scaling.Signal.Kind);
        Assert.Equal(1, d.DisruptionBudget!.MaxUnavailable);
        Assert.IsType<RollingUpdate>(d.Rollout);
    }

    [Fact]
    public void An_overlay_changes_the_environment_and_points_at_its_own_line()
    {
        var staging = Fixtures.Compliant(DeploymentEnvironment.Staging);

        var prod = staging.In(DeploymentEnvironment.Prod) with { Scaling = staging.Scaling with { MinReplicas = 4, MaxReplicas = 8 } };

        Assert.Equal("prod", prod.Environment.Name);
        Assert.True(prod.Environment.IsProduction);
        Assert.Equal(4, prod.Scaling.MinReplicas);
        Assert.Equal(2, staging.Scaling.MinReplicas);
        Assert.Equal(staging.Model, prod.Model);
        Assert.EndsWith("ModelTests.cs", prod.DeclaredAt.FilePath, StringComparison.Ordinal);
        Assert.NotEqual(staging.DeclaredAt.Line, prod.DeclaredAt.Line);
    }

    [Fact]
    public void Object_initializers_record_the_declaring_file_and_line()
    {
        var line = new System.Diagnostics.StackFrame(0, true).GetFileLineNumber() + 1;
        var d = new InferenceDeployment
        {
            Name = "x",
            Namespace = "inference",
            Environment = DeploymentEnvironment.Dev,
            Model = new ModelSpec { Id = "m" },
            Engine = new VllmEngine(),
            Image = new ContainerImage { Repository = "r" },
            Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.T4 },
        };

        Assert.EndsWith("ModelTests.cs", d.DeclaredAt.FilePath, StringComparison.Ordinal);
        Assert.Equal(line, d.DeclaredAt.Line);
    }

    [Fact]
    public void User_defined_environments_can_be_production()
    {
        var eu = new DeploymentEnvironment("prod-eu", isProduction: true);

        var report = Fixtures.Validate(Fixtures.Compliant(eu) with { Scaling = new ScalingSpec { MinReplicas = 1, MaxReplicas = 1 } });

        Assert.Contains("CAC1006", report.ViolationIds());
    }

    [Fact]
    public void The_model_catalog_covers_the_required_models_with_sources()
    {
        var names = ModelCatalog.All.Select(m => m.Name).ToArray();

        Assert.Equal(
            [
                "Llama-3.1-8B", "Llama-3.1-70B", "Llama-3.3-70B", "Mistral-7B-Instruct", "Mixtral-8x7B", "Qwen2.5-7B", "Qwen2.5-72B",
                "Llama-3.1-405B", "Llama-3.1-405B-FP8", "Llama-4-Scout-17B-16E", "Llama-4-Maverick-17B-128E", "Llama-4-Maverick-17B-128E-FP8",
                "DeepSeek-V3", "DeepSeek-R1-Distill-Qwen-32B", "Qwen3-8B", "Qwen3-8B-FP8", "Qwen3-32B", "Qwen3-32B-FP8", "Qwen3-30B-A3B", "Qwen3-30B-A3B-FP8",
                "Qwen3-235B-A22B", "Qwen3-235B-A22B-FP8", "Gemma-3-27B", "gpt-oss-120b", "gpt-oss-20b", "Mistral-Small-3.1-24B",
            ],
            names);
        Assert.All(ModelCatalog.All, m => Assert.False(string.IsNullOrEmpty(m.Architecture.Source)));
        Assert.All(ModelCatalog.All, m => Assert.True(Synthesis.Gpu.GpuFitEstimate.ArchitectureValid(m.Architecture), m.Name));
        Assert.Same(ModelCatalog.Llama31_70B, ModelCatalog.Find("META-LLAMA/llama-3.1-70b-instruct"));
        Assert.Null(ModelCatalog.Find("acme/unknown"));
        Assert.Equal(ModelCatalog.All.Sum(m => m.Ids.Count), ModelCatalog.All.SelectMany(m => m.Ids).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Theory]
    [InlineData("meta-llama/Llama-3.1-405B-Instruct")]
    [InlineData("meta-llama/Llama-3.1-405B-Instruct-FP8")]
    [InlineData("meta-llama/Llama-4-Scout-17B-16E-Instruct")]
    [InlineData("meta-llama/Llama-4-Maverick-17B-128E-Instruct")]
    [InlineData("meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8")]
    [InlineData("deepseek-ai/DeepSeek-V3")]
    [InlineData("deepseek-ai/DeepSeek-R1")]
    [InlineData("deepseek-ai/DeepSeek-V3.1")]
    [InlineData("deepseek-ai/DeepSeek-R1-Distill-Qwen-32B")]
    [InlineData("Qwen/Qwen3-8B")]
    [InlineData("Qwen/Qwen3-32B")]
    [InlineData("Qwen/Qwen3-30B-A3B")]
    [InlineData("Qwen/Qwen3-235B-A22B")]
    [InlineData("Qwen/Qwen3-235B-A22B-FP8")]
    [InlineData("google/gemma-3-27b-it")]
    [InlineData("openai/gpt-oss-120b")]
    [InlineData("openai/gpt-oss-20b")]
    [InlineData("mistralai/Mistral-Small-3.1-24B-Instruct-2503")]
    public void The_models_people_deploy_in_2026_are_in_the_catalog_by_their_exact_ids(string id)
    {
        Assert.NotNull(ModelCatalog.Find(id));
    }

    [Fact]
    public void Fp8_releases_share_the_architecture_and_differ_in_format()
    {
        Assert.Equal(WeightDtype.Fp8, ModelCatalog.Qwen3_235BA22BFp8.Architecture.Dtype);
        Assert.Equal(ModelCatalog.Qwen3_235BA22B.Architecture with { Dtype = WeightDtype.Fp8, Source = null }, ModelCatalog.Qwen3_235BA22BFp8.Architecture with { Source = null });
        Assert.Equal(WeightDtype.Mxfp4, ModelCatalog.GptOss120B.Architecture.Dtype);
        Assert.Equal(5.1, ModelCatalog.GptOss120B.Architecture.ActiveParameters);
        Assert.Equal(ModelCatalog.Llama31_8B.Architecture.ParametersBillions, ModelCatalog.Llama31_8B.Architecture.ActiveParameters);
    }

    [Fact]
    public void Declared_architecture_wins_over_the_catalog()
    {
        var facts = ModelCatalog.Llama31_8B.Architecture with { MaxContextTokens = 8192 };

        var spec = new ModelSpec { Id = "meta-llama/Llama-3.1-8B-Instruct", Architecture = facts };

        Assert.Equal(8192, spec.ResolveArchitecture()!.MaxContextTokens);
    }

    [Fact]
    public void The_gpu_catalog_covers_the_required_gpus_with_memory_and_fp8_support()
    {
        Assert.Equal(["H100-80GB", "H200", "A100-80GB", "A100-40GB", "L40S", "L4", "A10G", "T4", "B200", "H100-NVL", "MI300X"], GpuCatalog.All.Select(g => g.Name).ToArray());
        Assert.All(GpuCatalog.All, g => Assert.True(g.GpusPerNode > 0));
        Assert.Equal(GpuVendor.Amd, GpuCatalog.MI300X.Vendor);
        Assert.All(GpuCatalog.All.Where(g => g.Vendor == GpuVendor.Nvidia), g => Assert.NotNull(g.ComputeCapability));
        Assert.True(GpuCatalog.H100_80GB.SupportsFp8);
        Assert.True(GpuCatalog.L4.SupportsFp8);
        Assert.False(GpuCatalog.A100_80GB.SupportsFp8);
        Assert.False(GpuCatalog.T4.SupportsFp8);
        Assert.All(GpuCatalog.All, g => Assert.True(g.MemoryMiB > 0 && g.MemoryBandwidthGBps > 0 && g.PriceKey.Length > 0));
    }

    [Fact]
    public void The_analyzers_gpus_per_node_table_is_the_gpu_catalog()
    {
        var members = typeof(GpuCatalog).GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(p => p.PropertyType == typeof(GpuKind))
            .ToDictionary(p => p.Name, p => ((GpuKind)p.GetValue(null)!).GpusPerNode, StringComparer.Ordinal);

        Assert.Equal(members.OrderBy(p => p.Key, StringComparer.Ordinal), Synthesis.Rules.RuleFacts.GpusPerNode.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Image_reference_combines_tag_and_digest()
    {
        Assert.Equal("vllm/vllm-openai:v0.6.4@" + Fixtures.Digest, Fixtures.Compliant().Image.Reference);
        Assert.Equal("vllm/vllm-openai", new ContainerImage { Repository = "vllm/vllm-openai" }.Reference);
    }

    [Fact]
    public void Env_vars_are_either_literals_or_secret_references()
    {
        var literal = EnvVar.Literal("LOG_LEVEL", "info");
        var secret = EnvVar.FromSecret("HF_TOKEN", "hf-token", "token");

        Assert.Equal("info", literal.Value);
        Assert.Null(literal.Secret);
        Assert.Null(secret.Value);
        Assert.Equal(new SecretReference("hf-token", "token"), secret.Secret);
    }

    [Fact]
    public void Platform_names_default_to_the_kebab_cased_class_name()
    {
        Assert.Equal("inference-platform-fixture", new InferencePlatformFixture().Name);
    }

    private sealed class InferencePlatformFixture : InferencePlatform
    {
        public override System.Collections.Generic.IEnumerable<InferenceDeployment> Declare() => [];
    }
}
