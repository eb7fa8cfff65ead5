using System;
using System.Linq;
using ConfigAsCode.Synthesis.Cost;
using ConfigAsCode.Synthesis.Gpu;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>GPU fit of the models people deploy in 2026, as the rules and the cost model see it (per GPU, vLLM V1).</summary>
public sealed class GpuFitTests
{
    internal static InferenceDeployment Serve(string modelId, GpuKind gpu, int gpus, int? maxModelLen, int tensorParallel = 0, string tag = "v0.12.0") => Fixtures.Compliant() with
    {
        Name = "serve",
        Model = new ModelSpec { Id = modelId, Revision = Fixtures.Revision },
        Engine = new VllmEngine { MaxNumSeqs = 64, MaxNumBatchedTokens = 8192, MaxModelLen = maxModelLen, TensorParallelSize = tensorParallel > 0 ? tensorParallel : gpus },
        Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = tag, Digest = Fixtures.Digest },
        Accelerator = new AcceleratorSpec { Gpu = gpu, Count = gpus },
        Resources = new PodResources { CpuRequestMillicores = 16000, MemoryRequestMiB = 262144, MemoryLimitMiB = 262144, SharedMemoryMiB = 16384 },
        Probes = HealthProbes.For("/health", TimeSpan.FromMinutes(40)),
        Scaling = new ScalingSpec { MinReplicas = 2, MaxReplicas = 50 },
    };

    [Theory]
    [InlineData("openai/gpt-oss-120b", "H100-80GB", 1, 131_072)]
    [InlineData("deepseek-ai/DeepSeek-V3", "H200", 8, null)]
    [InlineData("meta-llama/Llama-3.1-405B-Instruct-FP8", "H100-80GB", 8, null)]
    [InlineData("google/gemma-3-27b-it", "H200", 1, 131_072)]
    public void The_models_that_fit_their_GPUs_raise_no_CAC3008(string model, string gpu, int gpus, int? maxModelLen)
    {
        var d = Serve(model, GpuCatalog.Find(gpu)!, gpus, maxModelLen);

        var report = Fixtures.Validate(d);

        Assert.DoesNotContain(report.Findings, f => f.Id == "CAC3008");
        Assert.True(GpuFitEstimate.For(d)!.MaxModelLenFits);
    }

    [Theory]
    [InlineData("meta-llama/Llama-3.1-405B-Instruct", 8, "weights (94.51 GiB)")]
    [InlineData("Qwen/Qwen3-235B-A22B", 4, "weights (109.43 GiB)")]
    public void Bf16_weights_that_do_not_fit_raise_CAC3008_with_the_per_GPU_numbers(string model, int gpus, string numbers)
    {
        var report = Fixtures.Validate(Serve(model, GpuCatalog.H100_80GB, gpus, null));

        var finding = Assert.Single(report.Violations, f => f.Id == "CAC3008");
        Assert.Contains(numbers, finding.Message, StringComparison.Ordinal);
        Assert.Contains("GiB that gpu-memory-utilization 0.9 allows on H100-80GB", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_context_that_does_not_fit_names_the_bytes_per_token_per_GPU_and_the_longest_that_fits()
    {
        var report = Fixtures.Validate(Serve("Qwen/Qwen3-235B-A22B-FP8", GpuCatalog.H100_80GB, 8, null) with { Engine = new VllmEngine { MaxNumSeqs = 64, MaxNumBatchedTokens = 8192, TensorParallelSize = 8, GpuMemoryUtilization = 0.36 } });

        var finding = Assert.Single(report.Violations, f => f.Id == "CAC3008");
        Assert.Contains("48128 B per token per GPU: 1 KV head per rank, each replicated 2x", finding.Message, StringComparison.Ordinal);
        Assert.Matches(@"Set MaxModelLen to at most \d+ \(or VllmEngine.MaxModelLenAuto\)", finding.Message);
    }

    [Fact]
    public void Max_model_len_auto_gets_the_longest_length_that_fits_and_the_load_is_checked_against_it()
    {
        var auto = Serve("meta-llama/Llama-3.1-8B-Instruct", GpuCatalog.L4, 1, VllmEngine.MaxModelLenAuto);

        var fit = GpuFitEstimate.For(auto)!;

        Assert.True(fit.MaxModelLenAuto);
        Assert.InRange(fit.MaxModelLen, 30_000, 36_000); // ~4.2 GiB of 128 KiB tokens on an L4
        Assert.Equal(fit.LongestFittingRequest, fit.MaxModelLen);
        Assert.True(fit.RequestFitsMaxModelLen);
        Assert.DoesNotContain(Fixtures.Validate(auto).Findings, f => f.Id is "CAC3007" or "CAC3008" or "CAC3017" or "CAC3018");

        var longRequests = auto with { Load = new ExpectedLoad { RequestsPerSecond = 0.1, InputTokens = 60_000, OutputTokens = 2_000 } };
        var finding = Assert.Single(Fixtures.Validate(longRequests).Violations, f => f.Id == "CAC3017");
        Assert.Contains($"max-model-len auto gives {fit.MaxModelLen} tokens on L4", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_on_a_release_before_0_12_is_refused()
    {
        var report = Fixtures.Validate(Serve("meta-llama/Llama-3.1-8B-Instruct", GpuCatalog.L4, 1, VllmEngine.MaxModelLenAuto, tag: "v0.11.0"));

        Assert.Contains("CAC3018", report.ViolationIds());
    }

    [Fact]
    public void V0_refuses_a_step_budget_below_the_context_only_without_chunked_prefill()
    {
        var refused = Serve("meta-llama/Llama-3.1-70B-Instruct", GpuCatalog.H100_80GB, 4, 16_384, tag: "v0.6.4");
        var longContext = Serve("meta-llama/Llama-3.1-70B-Instruct", GpuCatalog.H100_80GB, 4, 65_536, tag: "v0.6.4");
        var v1 = Serve("meta-llama/Llama-3.1-70B-Instruct", GpuCatalog.H100_80GB, 4, 16_384, tag: "v0.8.0");
        var sliding = Serve("google/gemma-3-27b-it", GpuCatalog.H100_80GB, 2, 65_536, tag: "v0.7.3");

        Assert.Contains("CAC3015", Fixtures.Validate(refused).ViolationIds());
        Assert.DoesNotContain("CAC3015", Fixtures.Validate(longContext).ViolationIds()); // V0 turns chunked prefill on above 32K
        Assert.DoesNotContain("CAC3015", Fixtures.Validate(v1).ViolationIds());
        Assert.Contains("CAC3015", Fixtures.Validate(sliding).ViolationIds()); // ...but not for sliding-window models
    }

    [Fact]
    public void More_GPUs_than_a_node_has_are_unschedulable()
    {
        var report = Fixtures.Validate(Serve("meta-llama/Llama-3.1-405B-Instruct", GpuCatalog.H100_80GB, 16, 16_384));

        var finding = Assert.Single(report.Violations, f => f.Id == "CAC3014");
        Assert.Contains("16 x H100-80GB in one pod, but the largest common H100-80GB node has 8", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Awq_runs_the_slow_kernel_only_where_Marlin_cannot_run_and_an_explicit_Marlin_request_is_refused_there()
    {
        var awq = RuleFiringTests.Vllm() with { Quantization = Quantization.Awq };

        Assert.DoesNotContain("CAC3016", Fixtures.Validate(Fixtures.Compliant() with { Engine = awq }).ViolationIds()); // L4: Marlin
        Assert.Contains("CAC3016", Fixtures.Validate(Fixtures.Compliant() with { Engine = awq, Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.MI300X } }).ViolationIds());
        Assert.Contains("CAC3018", Fixtures.Validate(Fixtures.Compliant() with { Engine = awq with { Quantization = Quantization.AwqMarlin }, Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.T4 } }).ViolationIds());

        var custom = new GpuKind { Name = "custom", MemoryMiB = 49_152, SupportsFp8 = true, MemoryBandwidthGBps = 900, DenseTflopsBf16 = 200, PriceKey = "custom" };
        var undecided = Fixtures.Validate(Fixtures.Compliant() with { Engine = awq, Accelerator = new AcceleratorSpec { Gpu = custom } });
        Assert.Contains(undecided.Findings, f => f.Id == "CAC3016" && f.Outcome == Synthesis.Validation.FindingOutcome.Undecided);
    }

    [Fact]
    public void Replicated_KV_heads_halve_the_concurrency_a_sum_over_GPUs_would_promise()
    {
        var d = Serve("Qwen/Qwen3-235B-A22B-FP8", GpuCatalog.H100_80GB, 8, 40_960);

        var fit = GpuFitEstimate.For(d)!;

        Assert.Equal(48_128, fit.Budget.Layout.BytesPerToken);
        var perRequest = Math.Ceiling(1200 / 16.0) * 16 * 48_128;
        Assert.Equal((long)Math.Floor(fit.Budget.KvBytes / perRequest), fit.RequestsPerEngine);
    }

    [Fact]
    public void Data_parallel_engines_multiply_the_pods_concurrency_and_throughput()
    {
        var one = Serve("Qwen/Qwen3-30B-A3B", GpuCatalog.H100_80GB, 1, 8192) with { Load = new ExpectedLoad { RequestsPerSecond = 20, InputTokens = 1000, OutputTokens = 200 } };
        var two = one with { Engine = ((VllmEngine)one.Engine) with { DataParallelSize = 2 }, Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.H100_80GB, Count = 2 } };

        var (estimates, _) = CostEstimator.Estimate([one, two with { Name = "serve-dp" }], PriceCatalog.Shipped(), PricingTarget.AwsUsEast1);

        var a = estimates.Single(e => e.Deployment == "serve");
        var b = estimates.Single(e => e.Deployment == "serve-dp");
        Assert.Equal(2 * a.Concurrency!.Value, b.Concurrency!.Value, 6);
        Assert.Equal(2 * a.OutputTokensPerSecondPerReplica!.Value, b.OutputTokensPerSecondPerReplica!.Value, 0);
        Assert.Equal(a.UsdPerMillionOutputTokens!.Value, b.UsdPerMillionOutputTokens!.Value, 1);
    }

    [Theory]
    [InlineData(0, 8192, "Engine.MaxNumSeqs", "max-num-seqs is 0; vLLM refuses a value below 1")]
    [InlineData(-4, 8192, "Engine.MaxNumSeqs", "max-num-seqs is -4; vLLM refuses a value below 1")]
    [InlineData(64, 0, "Engine.MaxNumBatchedTokens", "max-num-batched-tokens is 0; vLLM refuses a value below 1")]
    [InlineData(512, 256, "Engine.MaxNumBatchedTokens", "max-num-batched-tokens (256) is below max-num-seqs (512); vLLM refuses to start: \"max_num_batched_tokens (256) must be greater than or equal to max_num_seqs (512)\"")]
    public void Batch_limits_vllm_refuses_are_CAC3019_at_the_offending_property(int seqs, int tokens, string property, string message)
    {
        // vllm/config/scheduler.py: both fields are ge=1; verify_max_model_len raises when max_num_batched_tokens < max_num_seqs.
        var d = Serve("meta-llama/Llama-3.1-8B-Instruct", GpuCatalog.H100_80GB, 1, 8192) with
        {
            Engine = new VllmEngine { MaxNumSeqs = seqs, MaxNumBatchedTokens = tokens, MaxModelLen = 8192 },
        };

        var finding = Assert.Single(Fixtures.Validate(d).Violations, f => f.Id == "CAC3019");

        Assert.Equal(property, finding.PropertyPath);
        Assert.Contains(message, finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_declared_max_num_seqs_above_the_GPUs_default_token_budget_is_CAC3019_and_V1_caps_its_own_default()
    {
        // V1 on an L4 (below 70 GiB) defaults to 2,048 batched tokens: 4,096 sequences cannot fit one step.
        var l4 = Serve("meta-llama/Llama-3.1-8B-Instruct", GpuCatalog.L4, 1, 8192) with { Engine = new VllmEngine { MaxNumSeqs = 4096, MaxModelLen = 8192 } };
        var finding = Assert.Single(Fixtures.Validate(l4).Violations, f => f.Id == "CAC3019");
        Assert.Equal("Engine.MaxNumSeqs", finding.PropertyPath);
        Assert.Contains("max-num-batched-tokens (2048: left unset, vLLM 0.12.0's default on L4) is below max-num-seqs (4096)", finding.Message, StringComparison.Ordinal);

        // On an H100 the default is 8,192 tokens: 4,096 sequences fit.
        Assert.DoesNotContain(Fixtures.Validate(l4 with { Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.H100_80GB, Count = 1 } }).Violations, f => f.Id == "CAC3019");

        // A small declared token budget alone: V1 lowers its default max-num-seqs to it; V0 keeps 256 sequences and refuses.
        var small = l4 with { Engine = new VllmEngine { MaxNumBatchedTokens = 128, MaxModelLen = 8192 } };
        Assert.DoesNotContain(Fixtures.Validate(small).Violations, f => f.Id == "CAC3019");
        var v0 = Assert.Single(Fixtures.Validate(small with { Image = small.Image with { Tag = "v0.6.4" } }).Violations, f => f.Id == "CAC3019");
        Assert.Equal("Engine.MaxNumBatchedTokens", v0.PropertyPath);
        Assert.Contains("max-num-batched-tokens (128) is below max-num-seqs (256: left unset, vLLM 0.6.4's default on L4)", v0.Message, StringComparison.Ordinal);
    }
}
