using ConfigAsCode.Synthesis.Gpu;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>The KV arithmetic against DOMAIN.md §1.</summary>
public sealed class KvCacheBudgetTests
{
    [Fact]
    public void Llama_8B_needs_128_KiB_per_token_in_bf16()
    {
        Assert.Equal(128 * 1024, KvCacheBudget.KvBytesPerToken(ModelCatalog.Llama31_8B.Architecture, KvCacheDtype.Auto));
    }

    [Fact]
    public void Llama_70B_needs_320_KiB_per_token_in_bf16()
    {
        Assert.Equal(320 * 1024, KvCacheBudget.KvBytesPerToken(ModelCatalog.Llama31_70B.Architecture, KvCacheDtype.Auto));
    }

    [Fact]
    public void An_fp8_kv_cache_halves_the_bytes_per_token()
    {
        Assert.Equal(64 * 1024, KvCacheBudget.KvBytesPerToken(ModelCatalog.Llama31_8B.Architecture, KvCacheDtype.Fp8));
    }

    [Fact]
    public void A_2_89_GiB_cache_holds_about_23_600_tokens_of_8B_as_vllm_issue_10517_observed()
    {
        var tokens = KvCacheBudget.TokensThatFit(2.89 * KvCacheBudget.BytesPerGiB, KvCacheBudget.KvBytesPerToken(ModelCatalog.Llama31_8B.Architecture, KvCacheDtype.Auto));

        // vLLM reported 23,648 (block-rounded); the lower bound must be within 1% of it.
        Assert.InRange(tokens, 23_648 * 0.99, 23_648 * 1.01);
    }

    [Theory]
    [InlineData(8_192, 1.0)]
    [InlineData(131_072, 16.0)]
    public void One_sequence_of_8B_needs_the_documented_KV(int tokens, double gib)
    {
        var bytes = (double)tokens * KvCacheBudget.KvBytesPerToken(ModelCatalog.Llama31_8B.Architecture, KvCacheDtype.Auto);

        Assert.Equal(gib, bytes / KvCacheBudget.BytesPerGiB, 6);
    }

    [Theory]
    [InlineData(8_192, 2.5)]
    [InlineData(131_072, 40.0)]
    public void One_sequence_of_70B_needs_the_documented_KV(int tokens, double gib)
    {
        var bytes = (double)tokens * KvCacheBudget.KvBytesPerToken(ModelCatalog.Llama31_70B.Architecture, KvCacheDtype.Auto);

        Assert.Equal(gib, bytes / KvCacheBudget.BytesPerGiB, 6);
    }

    [Fact]
    public void Weights_of_8B_in_bf16_are_about_15_GiB()
    {
        var gib = KvCacheBudget.WeightBytesOf(ModelCatalog.Llama31_8B.Architecture, Quantization.None) / KvCacheBudget.BytesPerGiB;

        Assert.InRange(gib, 14.9, 15.0);
    }

    [Fact]
    public void The_budget_subtracts_weights_and_overhead_from_the_utilised_memory()
    {
        var engine = new VllmEngine { GpuMemoryUtilization = 0.9, TensorParallelSize = 4 };

        var budget = KvCacheBudget.ForVllm(ModelCatalog.Llama31_70B.Architecture, engine, GpuCatalog.H100_80GB, overheadGiBPerGpu: 1.0);

        var expected = (0.9 * GpuCatalog.H100_80GB.MemoryMiB * 1024d * 1024d * 4) - (70.55e9 * 2) - (4 * KvCacheBudget.BytesPerGiB);
        Assert.Equal(expected, budget.KvBytes, 0);
        Assert.Equal(4, budget.Gpus);
    }

    [Fact]
    public void Weights_that_do_not_fit_leave_no_capacity()
    {
        var budget = KvCacheBudget.ForVllm(ModelCatalog.Llama31_70B.Architecture, new VllmEngine(), GpuCatalog.L4, 1.0);

        Assert.True(budget.KvBytes < 0);
        Assert.Equal(0, budget.TokenCapacity);
    }
}
