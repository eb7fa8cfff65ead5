using System;
using System.Linq;
using ConfigAsCode.Synthesis.Rendering;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>The vLLM command line for quantized checkpoints, V1 engine knobs, versions and AMD GPUs.</summary>
public sealed class VllmRenderingTests
{
    private static readonly RenderOptions Options = new() { PlatformName = "InferencePlatform", GeneratorVersion = "0.1.0" };

    private static MapNode Pod(InferenceDeployment d)
    {
        var document = ManifestRenderer.BuildDocuments(d, Options).Documents.Single(o => o.Path.Contains("/deployment-", StringComparison.Ordinal)).Document;
        return (MapNode)((MapNode)((MapNode)document["spec"])["template"])["spec"];
    }

    private static string[] Args(InferenceDeployment d) =>
        ((ListNode)((MapNode)((ListNode)Pod(d)["containers"]).Items[0])["args"]).Items.Select(a => ((ScalarNode)a).Text).ToArray();

    private static InferenceDeployment With(VllmEngine engine, GpuKind? gpu = null, string tag = "v0.12.0") => Fixtures.Compliant() with
    {
        Engine = engine,
        Accelerator = new AcceleratorSpec { Gpu = gpu ?? GpuCatalog.L4, Count = engine.GpusPerInstance },
        Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = tag, Digest = Fixtures.Digest },
    };

    [Theory]
    [InlineData(Quantization.Awq)]
    [InlineData(Quantization.Gptq)]
    public void An_AWQ_or_GPTQ_checkpoint_gets_no_flag_that_forces_the_slow_kernel(Quantization quantization)
    {
        var args = Args(With(RuleFiringTests.Vllm() with { Quantization = quantization }));

        Assert.DoesNotContain(args, a => a.StartsWith("--quantization", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(Quantization.AwqMarlin, "--quantization=awq_marlin")]
    [InlineData(Quantization.GptqMarlin, "--quantization=gptq_marlin")]
    [InlineData(Quantization.Fp8, "--quantization=fp8")]
    [InlineData(Quantization.BitsAndBytes, "--quantization=bitsandbytes")]
    public void Explicit_methods_are_rendered_as_vLLM_names_them(Quantization quantization, string flag)
    {
        Assert.Contains(flag, Args(With(RuleFiringTests.Vllm() with { Quantization = quantization })));
    }

    [Fact]
    public void Max_model_len_auto_is_rendered_as_auto()
    {
        var args = Args(With(RuleFiringTests.Vllm() with { MaxModelLen = VllmEngine.MaxModelLenAuto }));

        Assert.Contains("--max-model-len=auto", args);
    }

    [Fact]
    public void Data_and_expert_parallelism_and_a_declared_kv_size_are_rendered()
    {
        var engine = RuleFiringTests.Vllm() with { TensorParallelSize = 2, DataParallelSize = 4, EnableExpertParallel = true, KvCacheMemoryBytes = 20L << 30, KvCacheDtype = KvCacheDtype.Fp8DsMla };

        var args = Args(With(engine, GpuCatalog.H200));

        Assert.Contains("--data-parallel-size=4", args);
        Assert.Contains("--enable-expert-parallel", args);
        Assert.Contains("--kv-cache-memory-bytes=21474836480", args);
        Assert.Contains("--kv-cache-dtype=fp8_ds_mla", args);
        Assert.DoesNotContain(Args(With(RuleFiringTests.Vllm())), a => a.StartsWith("--data-parallel-size", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("v0.28.0", "--max-num-batched-tokens=16384")]
    [InlineData("v0.27.1", "--max-num-batched-tokens=8192")]
    public void Unset_batch_knobs_follow_the_release_the_image_runs(string tag, string expected)
    {
        var engine = new VllmEngine { MaxModelLen = 8192 };

        var args = Args(With(engine, GpuCatalog.B200, tag));

        Assert.Contains(expected, args);
        Assert.Contains("--max-num-seqs=1024", args);
    }

    [Fact]
    public void The_V0_engine_without_chunked_prefill_batches_a_whole_context()
    {
        var args = Args(With(new VllmEngine { MaxModelLen = 16_384 }, GpuCatalog.H100_80GB, "v0.6.4"));

        Assert.Contains("--max-num-batched-tokens=16384", args);
        Assert.Contains("--max-num-seqs=256", args);
    }

    [Fact]
    public void An_AMD_GPU_is_requested_as_amd_com_gpu_without_an_nvidia_node_selector()
    {
        var pod = Pod(With(RuleFiringTests.Vllm(), GpuCatalog.MI300X));
        var container = (MapNode)((ListNode)pod["containers"]).Items[0];
        var limits = (MapNode)((MapNode)container["resources"])["limits"];

        Assert.Equal("1", ((ScalarNode)limits["amd.com/gpu"]).Text);
        Assert.False(limits.TryGet("nvidia.com/gpu", out _));
        Assert.False(pod.TryGet("nodeSelector", out _));
        Assert.Equal("amd.com/gpu", ((ScalarNode)((MapNode)((ListNode)pod["tolerations"]).Items[0])["key"]).Text);
    }
}
