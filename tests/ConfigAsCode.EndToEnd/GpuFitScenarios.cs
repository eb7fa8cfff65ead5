using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace ConfigAsCode.EndToEnd;

/// <summary>
/// GPU fit of the models people deploy in 2026, built as a user builds: a config project referencing the packed
/// package, a real `dotnet build`. Models that fit their GPUs raise no CAC3008; bf16 weights that cannot fit do, with
/// the per-GPU numbers in the message; an AWQ deployment's manifest carries no flag that forces the slow kernel.
/// </summary>
public sealed class GpuFitScenarios(PackageFeed feed, ITestOutputHelper output) : IClassFixture<PackageFeed>
{
    private const string Digest = "sha256:0f6bd6d1d2cb2b7f5e0e4a1a3a4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3";
    private const string Revision = "0e9e39f249a16976918f6564b8830bc894c89659";

    [Fact]
    public void Models_that_fit_raise_no_CAC3008_and_bf16_weights_that_cannot_fit_do_with_their_numbers()
    {
        var project = new ConfigProject(feed, output, "GpuFit");
        project.WriteDeploymentsSource($$"""
            using ConfigAsCode;

            namespace E2E;

            public sealed class Platform : InferencePlatform
            {
                public override IEnumerable<InferenceDeployment> Declare()
                {
                    yield return Serve("gpt-oss-120b", "openai/gpt-oss-120b", GpuCatalog.H100_80GB, 1, 131_072);
                    yield return Serve("deepseek-v3", "deepseek-ai/DeepSeek-V3", GpuCatalog.H200, 8, null);
                    yield return Serve("llama-405b-fp8", "meta-llama/Llama-3.1-405B-Instruct-FP8", GpuCatalog.H100_80GB, 8, null);
                    yield return Serve("gemma-3-27b", "google/gemma-3-27b-it", GpuCatalog.H200, 1, 131_072);
                    yield return Serve("llama-405b-bf16", "meta-llama/Llama-3.1-405B-Instruct", GpuCatalog.H100_80GB, 8, null);
                    yield return Serve("qwen3-235b-bf16", "Qwen/Qwen3-235B-A22B", GpuCatalog.H100_80GB, 4, null);
                }

                private static InferenceDeployment Serve(string name, string model, GpuKind gpu, int gpus, int? maxModelLen) => new()
                {
                    Name = name,
                    Namespace = "inference",
                    Environment = DeploymentEnvironment.Prod,
                    Model = new ModelSpec { Id = model, Revision = "{{Revision}}" },
                    Engine = new VllmEngine { MaxNumSeqs = 64, MaxNumBatchedTokens = 8192, MaxModelLen = maxModelLen, TensorParallelSize = gpus },
                    Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = "v0.12.0", Digest = "{{Digest}}" },
                    Accelerator = new AcceleratorSpec { Gpu = gpu, Count = gpus },
                    Cluster = new ClusterProfile { SharedStorageClass = "efs-sc", EgressProxy = "http://egress-proxy.egress:3128" },
                    Resources = new PodResources { CpuRequestMillicores = 16000, MemoryRequestMiB = 262144, MemoryLimitMiB = 262144, SharedMemoryMiB = 16384 },
                    Probes = HealthProbes.For("/health", TimeSpan.FromMinutes(40)),
                    Scaling = new ScalingSpec { MinReplicas = 2, MaxReplicas = 20 },
                    Cost = new CostAttribution { Team = "ml", CostCenter = "cc-1" },
                    Load = new ExpectedLoad { RequestsPerSecond = 1, InputTokens = 1000, OutputTokens = 200 },
                };
            }
            """);

        var build = project.Build();

        Assert.False(build.Succeeded, build.ToString());
        Assert.Equal(["CAC3008", "CAC9002"], DotNet.ErrorCodes(build.Output).Order(StringComparer.Ordinal));
        var kvFindings = build.Output.Split('\n').Where(l => l.Contains("error CAC3008", StringComparison.Ordinal)).Distinct().ToArray();
        foreach (var fits in new[] { "gpt-oss-120b", "deepseek-v3", "llama-405b-fp8", "gemma-3-27b" })
        {
            Assert.DoesNotContain(kvFindings, l => l.Contains($"[prod/{fits}]", StringComparison.Ordinal));
        }

        Assert.Contains(kvFindings, l => Regex.IsMatch(l, @"error CAC3008: \[prod/llama-405b-bf16\] Accelerator: on each GPU the weights \(94\.51 GiB\), activations \([\d.]+ GiB, estimated\) and runtime overhead \([\d.]+ GiB\) exceed the 71\.68 GiB that gpu-memory-utilization 0\.9 allows on H100-80GB \(TP 8\)"));
        Assert.Contains(kvFindings, l => Regex.IsMatch(l, @"error CAC3008: \[prod/qwen3-235b-bf16\] Accelerator: on each GPU the weights \(109\.43 GiB\).* allows on H100-80GB \(TP 4\)"));
    }

    [Fact]
    public void An_AWQ_deployment_read_from_its_config_json_renders_no_flag_that_forces_the_slow_kernel()
    {
        var project = new ConfigProject(feed, output, "Awq");
        project.WriteDeploymentsSource($$""""
            using ConfigAsCode;

            namespace E2E;

            public sealed class Platform : InferencePlatform
            {
                private static readonly ModelArchitecture Awq = ModelArchitecture.FromConfigJson("""
                    {
                      "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 4096, "intermediate_size": 14336,
                      "max_position_embeddings": 131072, "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8,
                      "quantization_config": { "bits": 4, "group_size": 128, "quant_method": "awq", "version": "gemm", "zero_point": true },
                      "torch_dtype": "float16", "vocab_size": 128256
                    }
                    """);

                public override IEnumerable<InferenceDeployment> Declare()
                {
                    yield return new InferenceDeployment
                    {
                        Name = "chat-awq",
                        Namespace = "inference",
                        Environment = DeploymentEnvironment.Prod,
                        Model = new ModelSpec { Id = "hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4", Revision = "{{Revision}}", Architecture = Awq },
                        Engine = new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, MaxModelLen = 8192, Quantization = Quantization.Awq },
                        Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = "v0.12.0", Digest = "{{Digest}}" },
                        Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L4 },
                        Cluster = new ClusterProfile { SharedStorageClass = "efs-sc", EgressProxy = "http://egress-proxy.egress:3128" },
                        Cost = new CostAttribution { Team = "ml", CostCenter = "cc-1" },
                        Load = new ExpectedLoad { RequestsPerSecond = 1, InputTokens = 1000, OutputTokens = 200 },
                    };
                }
            }
            """");

        var accept = project.Build("-p:ConfigAsCodeAcceptChanges=true");

        Assert.True(accept.Succeeded, accept.ToString());
        var manifest = File.ReadAllText(Path.Combine(project.Snapshots, "prod", "chat-awq", "deployment-chat-awq.yaml"));
        Assert.Contains("- --model=hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4", manifest, StringComparison.Ordinal);
        Assert.DoesNotContain("--quantization", manifest, StringComparison.Ordinal);
    }
}
