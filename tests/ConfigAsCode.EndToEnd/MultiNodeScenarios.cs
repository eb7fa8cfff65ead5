using System;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace ConfigAsCode.EndToEnd;

/// <summary>
/// A 405B model on two nodes of eight H100 per replica, declared the way a new user would in a config project that
/// references the packed package: tensor parallel 8 x pipeline parallel 2 is accepted and rendered as a
/// LeaderWorkerSet priced at 16 GPUs per replica; tensor parallel 16 on 8-GPU nodes is refused with a coded error
/// that names the per-node limit.
/// </summary>
public sealed class MultiNodeScenarios(PackageFeed feed, ITestOutputHelper output) : IClassFixture<PackageFeed>
{
    private const string Digest = "sha256:0f6bd6d1d2cb2b7f5e0e4a1a3a4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3";
    private const string Revision = "0e9e39f249a16976918f6564b8830bc894c89659";

    [Fact]
    public void A_405B_on_two_nodes_of_eight_H100_is_accepted_with_TP8_PP2_and_refused_with_TP16()
    {
        var project = new ConfigProject(feed, output, "MultiNode");
        project.WriteDeploymentsSource(Source("TensorParallelSize = 8, PipelineParallelSize = 2"));

        var accept = project.Build("-p:ConfigAsCodeAcceptChanges=true");

        Assert.True(accept.Succeeded, accept.ToString());
        var lws = File.ReadAllText(Path.Combine(project.Snapshots, "prod", "llama-405b", "leaderworkerset-llama-405b.yaml"));
        Assert.Contains("    size: 2\n", lws, StringComparison.Ordinal);
        Assert.Contains("nvidia.com/gpu: \"8\"", lws, StringComparison.Ordinal);
        Assert.Contains("- \"--node-rank=$(LWS_WORKER_INDEX)\"", lws, StringComparison.Ordinal);
        Assert.Contains("- --headless", lws, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(project.Snapshots, "prod", "llama-405b", "deployment-llama-405b.yaml")));
        var cost = File.ReadAllText(Path.Combine(project.Snapshots, ".configascode", "cost.json"));
        Assert.Contains("\"gpus-per-replica\": \"16\"", cost, StringComparison.Ordinal);
        Assert.Contains("\"monthlyAtMin\": 287094.40", cost, StringComparison.Ordinal);

        project.WriteDeploymentsSource(Source("TensorParallelSize = 16"));
        var refused = project.Build();

        Assert.False(refused.Succeeded, refused.ToString());
        Assert.Equal(["CAC3025"], DotNet.ErrorCodes(refused.Output).Distinct().Order(StringComparer.Ordinal));
        var error = refused.Output.Split('\n').First(l => l.Contains("error CAC3025", StringComparison.Ordinal));
        Assert.Contains("Deployments.cs(", error, StringComparison.Ordinal);
        Assert.Contains("each node of this replica has 8 GPUs (Accelerator.Count, the per-node limit: at most 8 and a divisor of it)", error, StringComparison.Ordinal);
    }

    private static string Source(string parallelism) => $$"""
        using ConfigAsCode;

        namespace E2E;

        public sealed class Platform : InferencePlatform
        {
            public override IEnumerable<InferenceDeployment> Declare()
            {
                yield return new InferenceDeployment
                {
                    Name = "llama-405b",
                    Namespace = "inference",
                    Environment = DeploymentEnvironment.Prod,
                    Model = new ModelSpec { Id = "meta-llama/Llama-3.1-405B-Instruct", Revision = "{{Revision}}" },
                    Engine = new VllmEngine { MaxNumSeqs = 64, MaxNumBatchedTokens = 8192, MaxModelLen = 32768, {{parallelism}} },
                    Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = "v0.12.0", Digest = "{{Digest}}" },
                    Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.H100_80GB, Count = 8, Nodes = 2 },
                    Resources = new PodResources { CpuRequestMillicores = 64000, MemoryRequestMiB = 524288, MemoryLimitMiB = 524288, SharedMemoryMiB = 65536 },
                    Probes = HealthProbes.For("/health", TimeSpan.FromMinutes(45)),
                    Cost = new CostAttribution { Team = "ml", CostCenter = "cc-1" },
                    Load = new ExpectedLoad { RequestsPerSecond = 0.5, InputTokens = 2000, OutputTokens = 400 },
                    Cluster = new ClusterProfile { SharedStorageClass = "efs-sc", EgressProxy = "http://egress-proxy.egress:3128" },
                };
            }
        }
        """;
}
