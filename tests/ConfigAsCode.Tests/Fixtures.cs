using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConfigAsCode.Synthesis.Rules;
using ConfigAsCode.Synthesis.Validation;

namespace ConfigAsCode.Tests;

/// <summary>Deployments that pass every rule, to be broken one property at a time.</summary>
internal static class Fixtures
{
    public const string Digest = "sha256:0f6bd6d1d2cb2b7f5e0e4a1a3a4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3";
    public const string Revision = "0e9e39f249a16976918f6564b8830bc894c89659";

    /// <summary>
    /// A cluster the compliant fixtures can work on: weights cached on a ReadWriteMany class, the Hub reached through the
    /// cluster's egress proxy (so replacing Security in a test keeps the route).
    /// </summary>
    public static ClusterProfile Cluster { get; } = new() { SharedStorageClass = "efs-sc", EgressProxy = "http://egress-proxy.egress:3128" };

    public static InferenceDeployment Compliant(DeploymentEnvironment? environment = null) => new()
    {
        Name = "chat-8b",
        Namespace = "inference",
        Environment = environment ?? DeploymentEnvironment.Prod,
        Model = new ModelSpec { Id = "meta-llama/Llama-3.1-8B-Instruct", Revision = Revision },
        Engine = new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, MaxModelLen = 8192, GpuMemoryUtilization = 0.90 },
        Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = "v0.6.4", Digest = Digest },
        Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L4, Count = 1 },
        Cost = new CostAttribution { Team = "ml-platform", CostCenter = "cc-4200", Owner = "jdoe" },
        Load = new ExpectedLoad { RequestsPerSecond = 1, InputTokens = 1000, OutputTokens = 200 },
        Cluster = Cluster,
    };

    /// <summary>Llama-3.1-70B on 4 x H100 with TP 4, compliant.</summary>
    public static InferenceDeployment CompliantMultiGpu() => Compliant() with
    {
        Name = "chat-70b",
        Model = new ModelSpec { Id = "meta-llama/Llama-3.1-70B-Instruct", Revision = Revision },
        // vLLM 0.6.4 runs the V0 engine, which refuses a step budget below max-model-len (CAC3015).
        Engine = new VllmEngine { MaxNumSeqs = 64, MaxNumBatchedTokens = 16384, MaxModelLen = 16384, TensorParallelSize = 4 },
        Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.H100_80GB, Count = 4 },
        Resources = new PodResources { CpuRequestMillicores = 16000, MemoryRequestMiB = 131072, MemoryLimitMiB = 131072, SharedMemoryMiB = 16384 },
        Probes = HealthProbes.For("/health", TimeSpan.FromMinutes(20)),
    };

    public static ValidationReport Validate(params InferenceDeployment[] deployments) =>
        PlatformValidator.Validate(deployments);

    public static ValidationReport Validate(RuleOptions options, params InferenceDeployment[] deployments) =>
        PlatformValidator.Validate(deployments, options);

    public static IReadOnlyList<string> ViolationIds(this ValidationReport report) =>
        report.Violations.Select(f => f.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal).ToArray();

    /// <summary>The repository root (the folder holding ConfigAsCode.sln).</summary>
    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ConfigAsCode.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("ConfigAsCode.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
