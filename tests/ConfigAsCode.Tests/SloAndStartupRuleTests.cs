using System;
using System.Linq;
using ConfigAsCode.Synthesis.Rules;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>CAC1020 (load time against the startup budget) and CAC1021 (objectives no engine can meet), case by case.</summary>
public sealed class SloAndStartupRuleTests
{
    private static InferenceDeployment WithLoadTime(TimeSpan? loadTime, HealthProbes? probes = null) => Fixtures.Compliant() with
    {
        Model = new ModelSpec { Id = "meta-llama/Llama-3.1-8B-Instruct", Revision = Fixtures.Revision, LoadTime = loadTime },
        Probes = probes ?? new HealthProbes(),
    };

    private static string[] Paths(InferenceDeployment deployment, string rule) =>
        Fixtures.Validate(deployment).Violations.Where(f => f.Id == rule).Select(f => f.PropertyPath).ToArray();

    [Fact]
    public void A_25_minute_load_against_the_default_15_minute_budget_is_a_restart_loop()
    {
        var finding = Assert.Single(Fixtures.Validate(WithLoadTime(TimeSpan.FromMinutes(25))).Violations, f => f.Id == "CAC1020");

        Assert.Equal("Probes.Startup", finding.PropertyPath);
        Assert.Contains("1500 s (Model.LoadTime)", finding.Message, StringComparison.Ordinal);
        Assert.Contains("gives up after 900 s (initial delay 0 s + period 10 s x failure threshold 90)", finding.Message, StringComparison.Ordinal);
        Assert.Contains("HealthProbes.For(\"/health\", TimeSpan.FromMinutes(38))", finding.Message, StringComparison.Ordinal);
        Assert.Contains("FailureThreshold to at least 150", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_load_within_the_budget_of_its_probes_passes()
    {
        Assert.Empty(Paths(WithLoadTime(TimeSpan.FromMinutes(25), HealthProbes.For("/health", TimeSpan.FromMinutes(40))), "CAC1020"));
        Assert.Empty(Paths(WithLoadTime(TimeSpan.FromMinutes(15)), "CAC1020")); // exactly the default budget
    }

    [Fact]
    public void The_budget_counts_the_initial_delay_and_the_declared_probe_timing()
    {
        var startup = new Probe { Path = "/health", InitialDelaySeconds = 60, PeriodSeconds = 30, FailureThreshold = 10 }; // 360 s
        Assert.Equal(["Probes.Startup"], Paths(WithLoadTime(TimeSpan.FromSeconds(361), new HealthProbes { Startup = startup }), "CAC1020"));
        Assert.Empty(Paths(WithLoadTime(TimeSpan.FromSeconds(360), new HealthProbes { Startup = startup }), "CAC1020"));
    }

    [Fact]
    public void Without_a_declared_load_time_the_weight_estimate_is_used_and_said_so()
    {
        // Llama-3.1-8B: 60 s + 15 GiB at 1 GiB/s = 75 s against a 30 s startup probe.
        var deployment = WithLoadTime(null, new HealthProbes { Startup = new Probe { Path = "/health" } });

        var finding = Assert.Single(Fixtures.Validate(deployment).Violations, f => f.Id == "CAC1020");
        Assert.Contains("estimated", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_startup_probe_or_invalid_timing_is_left_to_the_rules_that_own_it()
    {
        Assert.Empty(Paths(WithLoadTime(TimeSpan.FromHours(2), new HealthProbes { Startup = null }), "CAC1020"));
        Assert.Empty(Paths(WithLoadTime(TimeSpan.FromHours(2), new HealthProbes { Startup = new Probe { Path = "/health", PeriodSeconds = 0 } }), "CAC1020"));
    }

    [Fact]
    public void An_absurd_load_time_or_model_size_is_a_finding_not_an_exception()
    {
        var huge = WithLoadTime(TimeSpan.MaxValue);
        var giant = Fixtures.Compliant() with
        {
            Model = new ModelSpec
            {
                Id = "acme/giant",
                Revision = Fixtures.Revision,
                Architecture = new ModelArchitecture { ParametersBillions = 1e300, Layers = 1, AttentionHeads = 1, KvHeads = 1, HeadDim = 1, MaxContextTokens = 1 },
            },
        };

        var large = giant with { Model = giant.Model with { Architecture = giant.Model.Architecture! with { ParametersBillions = 90_000 } } };

        Assert.Equal(["Probes.Startup"], Paths(huge, "CAC1020"));
        Assert.Equal(["Probes.Startup"], Paths(large, "CAC1020"));

        // The weights plan takes no checkpoint size from 100,000 billion parameters up (a typo, not a model): nothing to compare, and no exception.
        Assert.Empty(Paths(giant, "CAC1020"));
        Assert.DoesNotContain(Fixtures.Validate(huge, large, giant).Findings, f => f.Outcome == Synthesis.Validation.FindingOutcome.Undecided && f.Id == "CAC1020");
    }

    [Theory]
    [InlineData(1.0, null, "Slos.Availability")]
    [InlineData(1.5, null, "Slos.Availability")]
    [InlineData(0.0, null, "Slos.Availability")]
    [InlineData(double.NaN, null, "Slos.Availability")]
    [InlineData(null, 0.0, "Slos.MaxErrorRate")]
    [InlineData(null, -0.1, "Slos.MaxErrorRate")]
    [InlineData(null, 1.0, "Slos.MaxErrorRate")]
    public void An_objective_without_an_error_budget_or_outside_its_range_is_reported(double? availability, double? errorRate, string path)
    {
        var deployment = Fixtures.Compliant() with { Slos = new ServiceLevelObjectives { Availability = availability, MaxErrorRate = errorRate } };

        Assert.Equal([path], Paths(deployment, "CAC1021"));
    }

    [Fact]
    public void Latencies_that_contradict_each_other_are_reported_on_the_impossible_one()
    {
        var p99BelowP95 = Fixtures.Compliant() with { Slos = new ServiceLevelObjectives { P95Latency = TimeSpan.FromSeconds(4), P99Latency = TimeSpan.FromSeconds(2) } };
        var latencyBelowTtft = Fixtures.Compliant() with { Slos = new ServiceLevelObjectives { P95Latency = TimeSpan.FromMilliseconds(400), P95TimeToFirstToken = TimeSpan.FromMilliseconds(500) } };
        var zero = Fixtures.Compliant() with { Slos = new ServiceLevelObjectives { P99Latency = TimeSpan.Zero } };

        Assert.Equal(["Slos.P99Latency"], Paths(p99BelowP95, "CAC1021"));
        Assert.Equal(["Slos.P95Latency"], Paths(latencyBelowTtft, "CAC1021"));
        Assert.Equal(["Slos.P99Latency"], Paths(zero, "CAC1021"));
    }

    [Fact]
    public void The_forward_pass_floor_names_the_weights_the_gpus_and_the_bandwidth()
    {
        // Llama-3.1-8B in bf16 on one L4: 16.06 GB / 300 GB/s = 53.5 ms.
        var finding = Assert.Single(Fixtures.Validate(Fixtures.Compliant() with { Slos = new ServiceLevelObjectives { P95TimeToFirstToken = TimeSpan.FromMilliseconds(50) } }).Violations, f => f.Id == "CAC1021");

        Assert.Contains("14.96 GiB", finding.Message, StringComparison.Ordinal);
        Assert.Contains("53.53 ms on 1 x L4 at their full 300 GB/s", finding.Message, StringComparison.Ordinal);
        Assert.Empty(Paths(Fixtures.Compliant() with { Slos = new ServiceLevelObjectives { P95TimeToFirstToken = TimeSpan.FromMilliseconds(60) } }, "CAC1021"));
    }

    [Fact]
    public void Tensor_parallel_splits_the_weights_and_quantization_shrinks_them()
    {
        // Llama-3.1-70B (70.6 B) on 4 x H100 in bf16: 141.1 GB / (4 x 3,350 GB/s) = 10.5 ms; in fp8 5.3 ms.
        var slo = new ServiceLevelObjectives { P95TimeToFirstToken = TimeSpan.FromMilliseconds(8) };
        var bf16 = Fixtures.CompliantMultiGpu() with { Slos = slo };
        var fp8 = bf16 with { Engine = ((VllmEngine)bf16.Engine) with { Quantization = Quantization.Fp8 } };

        Assert.Equal(["Slos.P95TimeToFirstToken"], Paths(bf16, "CAC1021"));
        Assert.Empty(Paths(fp8, "CAC1021"));
    }

    [Fact]
    public void Realistic_objectives_and_unknown_models_raise_nothing()
    {
        var realistic = Fixtures.CompliantMultiGpu() with
        {
            Slos = new ServiceLevelObjectives { Availability = 0.999, MaxErrorRate = 0.01, P95Latency = TimeSpan.FromSeconds(4), P99Latency = TimeSpan.FromSeconds(8), P95TimeToFirstToken = TimeSpan.FromMilliseconds(500) },
        };
        var unknownModel = Fixtures.Compliant() with
        {
            Model = new ModelSpec { Id = "acme/house-model", Revision = Fixtures.Revision },
            Slos = new ServiceLevelObjectives { P95TimeToFirstToken = TimeSpan.FromMilliseconds(1) },
        };

        Assert.Empty(Paths(realistic, "CAC1021"));
        Assert.Empty(Paths(unknownModel, "CAC1021")); // no weights to floor against; CAC3010 reports the architecture
    }

    [Fact]
    public void The_rule_facts_mirror_the_models_defaults()
    {
        // The analyzer cannot run the model's code: RuleFacts restates its defaults, and this test keeps them equal.
        var probe = new Probe { Path = "/health" };
        Assert.Equal(RuleFacts.ProbeInitialDelaySeconds, probe.InitialDelaySeconds);
        Assert.Equal(RuleFacts.ProbePeriodSeconds, probe.PeriodSeconds);
        Assert.Equal(RuleFacts.ProbeTimeoutSeconds, probe.TimeoutSeconds);
        Assert.Equal(RuleFacts.ProbeFailureThreshold, probe.FailureThreshold);
        Assert.Equal(RuleFacts.ProbeSuccessThreshold, probe.SuccessThreshold);
        Assert.Equal(RuleFacts.DefaultLoadAllowanceSeconds, HealthProbes.DefaultLoadAllowance.TotalSeconds);
        Assert.Equal(RuleFacts.MinimumJustificationLength, RuleSuppression.MinimumJustificationLength);
        foreach (var seconds in new[] { 0.0, 1, 9, 10, 11, 899, 900, 901, 1500, 86_400 })
        {
            var startup = HealthProbes.StartupFor(TimeSpan.FromSeconds(seconds));
            Assert.Equal(RuleFacts.StartupPeriodSeconds, startup.PeriodSeconds);
            Assert.Equal(RuleFacts.StartupForToleranceSeconds(seconds), startup.Tolerance.TotalSeconds);
            Assert.Equal(RuleFacts.ProbeToleranceSeconds(startup.InitialDelaySeconds, startup.PeriodSeconds, startup.FailureThreshold), startup.Tolerance.TotalSeconds);
        }

        var defaults = new HealthProbes().Startup!;
        Assert.Equal(RuleFacts.StartupForToleranceSeconds(RuleFacts.DefaultLoadAllowanceSeconds), defaults.Tolerance.TotalSeconds);
    }
}
