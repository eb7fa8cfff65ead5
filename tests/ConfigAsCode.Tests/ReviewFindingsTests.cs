using System;
using System.Linq;
using ConfigAsCode.Build;
using ConfigAsCode.Synthesis.Cost;
using ConfigAsCode.Synthesis.Gpu;
using ConfigAsCode.Synthesis.Rendering;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>Findings of a fresh-eyes review of the hybrid padding, the scaling refusals and CAC9014, each a test that failed before its fix.</summary>
public sealed class ReviewFindingsTests
{
    [Fact]
    public void A_KEDA_threshold_that_KEDA_truncates_to_zero_milli_units_is_refused()
    {
        // KEDA's GetMetricTargetMili: int64(threshold * 1000). 0.0006 -> int64(0.6) = 0, an averageValue of 0 the HPA
        // refuses. RefusedScalingTarget rounds (Math.Round(0.0006, 3) = 0.001) instead of truncating, so it passes.
        var d = Fixtures.Compliant() with { Scaling = new ScalingSpec { MinReplicas = 2, MaxReplicas = 4, Signal = ScalingSignal.QueueDepth(0.0006), Keda = new KedaScaling() } };

        var rendered = ManifestRenderer.Render([d]);

        Assert.Contains(rendered.Findings, f => f.Id == "CAC9008" && f.PropertyPath == "Scaling.Signal.TargetPerReplica");
    }

    [Fact]
    public void Derived_decode_bandwidth_counts_the_layers_attention_reads_not_vllms_padding_slots()
    {
        // ThroughputProfiles.For: k = 2 x KV bytes per GPU of the 1,000-token reference context / (0.6 x bandwidth).
        // A decode step reads the KV of Gemma-3-27B's 62 real layers: 10 full (63 blocks) + 52 sliding (64 blocks).
        // The hybrid manager's 8 padding layers are allocated but belong to no layer, so nothing reads them; since
        // a8a5c22 the layout includes them and the derived per-sequence step (and the cost estimate) grows ~13%.
        var profile = ThroughputProfiles.For(ModelCatalog.Gemma3_27B.Architecture, "Gemma-3-27B", GpuCatalog.H100_80GB, 1, Quantization.None, KvCacheDtype.Auto);
        Assert.NotNull(profile);

        const double perLayerToken = 16 * 128 * 2 * 2;
        var realBytes = perLayerToken * ((10 * 63 * 16) + (52 * 64 * 16));
        var expectedMs = 2 * realBytes / (0.6 * 3_350e9) * 1000;
        Assert.InRange(profile.PerSequenceStepMs, expectedMs * 0.99, expectedMs * 1.01);
    }

    [Fact]
    public void A_user_assembly_whose_name_merely_starts_with_ConfigAsCode_is_not_called_a_broken_package()
    {
        // IncompleteRun matches "Could not load file or assembly 'ConfigAsCode" as a prefix: a user's own dependency
        // named ConfigAsCodeHelpers (or a config assembly ConfigAsCode.Platform) missing from bin/ is blamed on the
        // package, and the user is told to clear the NuGet cache.
        var crash = GenerateConfigAsCodeManifests.CrashLine("Unhandled exception. System.IO.FileNotFoundException: Could not load file or assembly 'ConfigAsCodeHelpers, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null'. The system cannot find the file specified.");

        Assert.DoesNotContain("package's host is incomplete", GenerateConfigAsCodeManifests.IncompleteRun(134, crash), StringComparison.Ordinal);
    }

    [Fact]
    public void An_engine_without_the_hybrid_manager_pads_nothing_and_messages_count_the_models_own_layers()
    {
        // 32 state-space + 6 full: with the hybrid manager the group size is 6 and the state layers cost 36 (4 padding);
        // an engine before it (boundedWindows false) has no groups to pad.
        var mixed = ModelCatalog.Llama31_8B.Architecture with { Layers = 38, LayerGroups = [LayerGroup.StateSpace(32, 1_000_000), LayerGroup.Full(6)] };
        Assert.Equal(4, KvCacheLayout.For(mixed, 1, 1, KvCacheDtype.Auto).PaddingLayers);
        Assert.Equal(0, KvCacheLayout.For(mixed, 1, 1, KvCacheDtype.Auto, boundedWindows: false).PaddingLayers);

        // Gemma-3-27B is allocated 60 sliding layers, but it has 52: the model's own groups say so.
        var gemma = KvCacheLayout.For(ModelCatalog.Gemma3_27B.Architecture, 1, 1, KvCacheDtype.Auto);
        Assert.Equal(60, gemma.Groups.Where(g => g.Window > 0).Sum(g => g.Layers));
        Assert.Equal(52, gemma.ModelGroups.Where(g => g.Window > 0).Sum(g => g.Layers));
    }
}
