using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ConfigAsCode.Synthesis.Rendering;
using ConfigAsCode.Tool.CodeGen;
using ConfigAsCode.Tool.Import;
using ConfigAsCode.Tool.Tests.Support;
using Xunit;

namespace ConfigAsCode.Tool.Tests;

/// <summary>
/// Importing the sample's committed deploy/ and building the generated C# (compiled with Roslyn against the model,
/// evaluated and rendered as the build does) reproduces every field the import did not list as not carried.
/// </summary>
public sealed class ImportRoundTripTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Hash = "metadata.annotations.configascode.io/config-hash";

    [Fact]
    public void The_samples_deploy_folder_rebuilds_every_field_the_import_did_not_list()
    {
        var root = GeneratedCode.RepositoryRoot;
        var deploy = Path.Combine(root, "samples", "InferencePlatform", "deploy");
        var objects = YamlInput.Read([deploy], root);
        var result = PlatformImporter.Import(objects, new ImportOptions());
        var code = PlatformWriter.Write(result, "Platform", "ImportedPlatform", "configascode import samples/InferencePlatform/deploy");

        var (platform, evaluation, rendered) = GeneratedCode.Build(code, "SampleRoundTrip");

        // Every deployment of every environment came back, from the code alone.
        Assert.Equal(15, evaluation.Deployments.Count);
        Assert.Equal("acme-inference", platform.Name);
        Assert.DoesNotContain(result.Messages, m => m.Code == "CAC9033");

        // The C# text carries exactly what the import declared: same rendered bytes as the in-memory declarations.
        var declared = ManifestRenderer.Render(result.Workloads.Select(w => w.Deployment).ToArray(), new RenderOptions { PlatformName = "acme-inference" });
        Assert.Equal(declared.Files.Select(f => (f.Path, Encoding.UTF8.GetString(f.Utf8))), rendered.Files.Select(f => (f.Path, Encoding.UTF8.GetString(f.Utf8))));

        // Every original object the import did not name in a message is rebuilt with every field equal.
        var renderedByPath = rendered.Files.Where(f => f.Path.EndsWith(".yaml", StringComparison.Ordinal))
            .ToDictionary(f => f.Path, f => YamlInput.Parse(Encoding.UTF8.GetString(f.Utf8), f.Path, null).Single(), StringComparer.Ordinal);
        var named = result.Messages.Select(m => m.File).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var checkedFiles = 0;
        var checkedFields = 0;
        foreach (var original in objects.Where(o => o.Kind != "Kustomization" && !named.Contains(o.File)))
        {
            var relative = original.File["samples/InferencePlatform/deploy/".Length..];
            Assert.True(renderedByPath.TryGetValue(relative, out var counterpart), $"{relative} is named in no message but was not rebuilt");
            var want = YamlLeaves.Of(original.Node);
            var got = YamlLeaves.Of(counterpart!.Node);
            foreach (var (path, value) in want.Where(l => l.Key != Hash))
            {
                Assert.True(got.TryGetValue(path, out var rebuilt) && rebuilt == value, $"{relative}: {path}: {value} → {(rebuilt ?? "absent")}, and no CAC9032 says so");
                checkedFields++;
            }

            checkedFiles++;
        }

        output.WriteLine($"{objects.Count} objects read, {checkedFiles} rebuilt field for field ({checkedFields} fields), {result.Messages.Count} items listed");

        // The sample is rendered by the toolkit, so nearly all of it maps: weights sources and caches, Karpenter
        // placement and the scraper's namespace are read back. Listed: Argo Rollouts objects and canary steps, SLO
        // alerts and monitors (they need SLOs the YAML cannot give), and the multi-node chat-405b (a LeaderWorkerSet
        // with its KEDA ScaledObject and InferencePool, which the import does not read).
        // Floors at what this version reaches (104 of 180 objects, 3,956 fields, 63 items; before weights, placement and
        // the scraper were read: 73 objects, 1,614 fields, 198 items).
        Assert.True(checkedFiles >= 104, $"only {checkedFiles} files were rebuilt field for field");
        Assert.True(checkedFields >= 3956, $"only {checkedFields} fields were compared");
        Assert.True(result.Messages.Count <= 63, $"{result.Messages.Count} items listed");
        Assert.All(result.Messages, m => Assert.Matches("(PodMonitor|PrometheusRule|AnalysisTemplate|Rollout|HorizontalPodAutoscaler chat-|Service chat-[0-9a-z]+-(canary|stable)|kustomization|prod: [A-Za-z]+ chat-405b|Namespace frontier)", m.Text));

        var reranker = evaluation.Deployments.Single(d => d.Name == "reranker" && d.Environment.Name == "prod");
        var store = Assert.IsType<ObjectStoreSource>(reranker.Model.Source);
        Assert.Equal(("s3://acme-models/rerankers", "https://s3.us-east-1.amazonaws.com"), (store.Uri, store.Endpoint));
        Assert.Equal(WeightsCache.Shared("efs-sc"), reranker.Model.Cache);
        Assert.Same(NodePlacement.Karpenter, reranker.Cluster.Placement);
        Assert.Equal(["search-api"], reranker.Security.Network!.AllowIngressFromNamespaces);
        var chat = evaluation.Deployments.Single(d => d.Name == "chat-70b" && d.Environment.Name == "prod");
        Assert.Equal(ModelSource.HuggingFace("https://hf-mirror.acme.internal", new SecretReference("hf-token", "token")), chat.Model.Source);
        Assert.Same(GpuCatalog.H100_80GB, chat.Accelerator.Gpu);
    }

    [Fact]
    public void Hand_written_vllm_and_tgi_yaml_imports_and_lists_exactly_what_it_does_not_carry()
    {
        var objects = YamlInput.Read(["plain"], GeneratedCode.Inputs);
        var result = PlatformImporter.Import(objects, new ImportOptions());

        Assert.Equal(
            [
                "CAC9032: plain/prod/chat.yaml(14): prod/chat: Deployment chat spec.selector.matchLabels.app: chat is not reproduced. A workload's selector cannot change in place: delete the running object (or apply under a new name) before applying the rendered one.",
                "CAC9032: plain/prod/chat.yaml(20): prod/chat: no NetworkPolicy in the input selects these pods; the rendered one admits the namespace and lets the pods reach only cluster DNS, so a download from the model hub would fail. List the hub's or the object store's CIDRs in Security.Network.AllowEgressCidrs.",
                "CAC9032: plain/prod/chat.yaml(23): prod/chat: Deployment chat spec.template.spec.containers[server].name: server → vllm. The rendered manifest carries the new value; review it.",
                "CAC9032: plain/prod/chat.yaml(85): prod/chat: PodDisruptionBudget chat spec.selector.matchLabels.app: chat is not reproduced. The rendered manifest goes without it; declare it if it matters.",
                "CAC9032: plain/prod/summarize-helm.yaml(17): prod/summarize: Deployment summarize (tgi/templates/deployment.yaml) metadata.labels[helm.sh/chart]: tgi-1.4.0 is not reproduced. The rendered manifest goes without it; declare it if it matters.",
                "CAC9032: plain/prod/summarize-helm.yaml(29): prod/summarize: no NetworkPolicy in the input selects these pods; the rendered one admits the namespace and lets the pods reach only cluster DNS, so a download from the model hub would fail. List the hub's or the object store's CIDRs in Security.Network.AllowEgressCidrs.",
                "CAC9032: plain/staging/chat.yaml(15): staging/chat: Deployment chat spec.selector.matchLabels.app: chat is not reproduced. A workload's selector cannot change in place: delete the running object (or apply under a new name) before applying the rendered one.",
                "CAC9032: plain/staging/chat.yaml(21): staging/chat: no NetworkPolicy in the input selects these pods; the rendered one admits the namespace and lets the pods reach only cluster DNS, so a download from the model hub would fail. List the hub's or the object store's CIDRs in Security.Network.AllowEgressCidrs.",
                "CAC9032: plain/staging/chat.yaml(28): staging/chat: Deployment chat spec.template.spec.containers[server].name: server → vllm. The rendered manifest carries the new value; review it.",
                "CAC9032: plain/staging/chat.yaml(31): staging/chat: vLLM setting '--swap-space=4' is not carried: it is not a vLLM setting the toolkit models. The generated declaration runs without it.",
                "CAC9032: plain/staging/chat.yaml(76): staging/chat: Service chat spec.selector.app: chat is not reproduced. The rendered manifest goes without it; declare it if it matters.",
                "CAC9032: plain/staging/chat.yaml(79): staging/chat: Service chat spec.ports[http].port: 80 → 8000. The rendered manifest carries the new value; review it.",
            ],
            result.Messages.Select(m => m.ToString()));

        var code = PlatformWriter.Write(result, "Acme.Llm", "LlmPlatform", "configascode import plain");
        var (_, evaluation, rendered) = GeneratedCode.Build(code, "PlainRoundTrip");

        var chat = evaluation.Deployments.Where(d => d.Name == "chat").OrderBy(d => d.Environment.Name, StringComparer.Ordinal).ToArray();
        Assert.Equal(["prod", "staging"], chat.Select(d => d.Environment.Name));
        var prod = chat[0];
        var vllm = Assert.IsType<VllmEngine>(prod.Engine);
        Assert.Equal(("Qwen/Qwen3-8B", "b968826d9c46dd6066d109eabc6255188de91218"), (prod.Model.Id, prod.Model.Revision));
        Assert.Equal((48, 16384, 0.9), (vllm.MaxNumSeqs, vllm.MaxModelLen, vllm.GpuMemoryUtilization));
        Assert.Equal(("vllm/vllm-openai", "v0.12.0", "sha256:4b3c1d2e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a"), (prod.Image.Repository, prod.Image.Tag, prod.Image.Digest));
        Assert.Same(GpuCatalog.L4, prod.Accelerator.Gpu);
        Assert.Equal(1, prod.Accelerator.Count);
        Assert.Equal((3, 6), (prod.Scaling.MinReplicas, prod.Scaling.MaxReplicas));
        Assert.Equal((2, 2), (chat[1].Scaling.MinReplicas, chat[1].Scaling.MaxReplicas));
        Assert.Equal("llm", prod.Namespace);
        Assert.Equal(("search", "cc-2040"), (prod.Cost!.Team, prod.Cost.CostCenter));
        // The engine downloads the weights itself with the token of its Secret: the Hub source with that token.
        Assert.Equal(ModelSource.HuggingFace(token: new SecretReference("hf-token", "token")), prod.Model.Source);
        Assert.DoesNotContain(prod.Env, e => e.Name == "HF_TOKEN");
        Assert.Equal(600, prod.Probes.Liveness!.InitialDelaySeconds);

        var summarize = Assert.Single(evaluation.Deployments, d => d.Name == "summarize");
        var tgi = Assert.IsType<TgiEngine>(summarize.Engine);
        Assert.Equal(("mistralai/Mistral-7B-Instruct-v0.3", 3072, 4096, 4096), (summarize.Model.Id, tgi.MaxInputTokens, tgi.MaxTotalTokens, tgi.MaxBatchPrefillTokens));
        Assert.Same(GpuCatalog.L4, summarize.Accelerator.Gpu);
        Assert.Same(NodePlacement.Gke, summarize.Cluster.Placement);
        Assert.Contains(rendered.Files, f => f.Path == "prod/summarize/deployment-summarize.yaml");
    }

    [Theory]
    [InlineData("hf/token")]
    [InlineData("..token")]
    [InlineData("hf token")]
    public void A_secretKeyRef_key_the_API_server_refuses_is_not_carried_and_is_listed(string key)
    {
        var folder = Path.Combine(Path.GetTempPath(), "cac-import-key-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, "prod"));
        try
        {
            var yaml = File.ReadAllText(Path.Combine(GeneratedCode.Inputs, "plain", "prod", "chat.yaml"));
            Assert.Contains("key: token\n", yaml, StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(folder, "prod", "chat.yaml"), yaml.Replace("key: token\n", "key: \"" + key + "\"\n", StringComparison.Ordinal));

            var result = PlatformImporter.Import(YamlInput.Read(["prod"], folder), new ImportOptions());

            var chat = Assert.Single(result.Workloads, w => w.Deployment.Name == "chat").Deployment;
            Assert.Null(((HuggingFaceHubSource?)chat.Model.Source)?.Token);
            Assert.DoesNotContain(chat.Env, e => e.Secret is not null);
            Assert.Contains(result.Messages, m => m.ToString().Contains("env HF_TOKEN: the secretKeyRef has no valid name and key; not carried", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_generated_file_is_the_same_bytes_on_every_run()
    {
        string Once()
        {
            var result = PlatformImporter.Import(YamlInput.Read(["plain"], GeneratedCode.Inputs), new ImportOptions());
            return PlatformWriter.Write(result, "Platform", "ImportedPlatform", "configascode import plain");
        }

        var first = Once();
        Assert.Equal(first, Once());
        Assert.DoesNotContain("\r", first, StringComparison.Ordinal);
    }
}
