using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConfigAsCode.Synthesis.Evaluation;
using ConfigAsCode.Synthesis.Validation;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>The README's first example behaves as the README says.</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public void The_readme_example_evaluates_and_its_quoted_finding_is_what_the_validator_prints()
    {
        var evaluation = PlatformEvaluator.Evaluate([new ReadmePlatform(maxModelLen: 131_072)]);
        var report = PlatformValidator.Validate(evaluation.Deployments);

        var finding = report.Violations.First(f => f.Id == "CAC3008" && f.Environment == "staging");
        var readme = File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "README.md"));
        var text = finding.ToString();
        var quoted = text.Substring(text.IndexOf("error CAC3008", StringComparison.Ordinal));
        Assert.True(readme.Contains(quoted.Substring(0, quoted.IndexOf(" vLLM refuses", StringComparison.Ordinal)), StringComparison.Ordinal), quoted);
    }

    [Fact]
    public void The_readme_example_as_written_has_only_the_findings_the_readme_mentions()
    {
        var report = PlatformValidator.Validate(PlatformEvaluator.Evaluate([new ReadmePlatform(maxModelLen: 8192)]).Deployments);

        Assert.Equal(["CAC5002"], report.ViolationIds());
        Assert.All(report.Violations, f => Assert.Equal("prod", f.Environment));
    }

    private sealed class ReadmePlatform(int maxModelLen) : InferencePlatform
    {
        public override IEnumerable<InferenceDeployment> Declare()
        {
            var chat = new InferenceDeployment
            {
                Name = "chat-8b",
                Namespace = "inference",
                Environment = DeploymentEnvironment.Staging,
                Model = new ModelSpec { Id = "meta-llama/Llama-3.1-8B-Instruct", Revision = "0e9e39f249a16976918f6564b8830bc894c89659" },
                Engine = new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, MaxModelLen = maxModelLen, GpuMemoryUtilization = 0.90 },
                Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = "v0.6.4", Digest = "sha256:<64 hex digits>" },
                Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L4, Count = 1 },
                Cost = new CostAttribution { Team = "ml-platform", CostCenter = "cc-4200" },
                Load = new ExpectedLoad { RequestsPerSecond = 1, InputTokens = 1000, OutputTokens = 200 },
                // The cluster: GPU node labels, a ReadWriteMany class for the weights cache, the proxy that reaches the Hub.
                Cluster = ClusterProfile.Gke(sharedStorageClass: "standard-rwx") with { EgressProxy = "http://egress-proxy.egress:3128" },
            };
            yield return chat;
            yield return chat.In(DeploymentEnvironment.Prod) with
            {
                Scaling = chat.Scaling with { MinReplicas = 3, MaxReplicas = 8 },
                IntendedDifferences = ["Scaling.MinReplicas", "Scaling.MaxReplicas"],
            };
        }
    }
}
