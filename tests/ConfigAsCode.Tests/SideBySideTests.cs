using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Linq;
using ConfigAsCode.Synthesis;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>
/// The scan, the per-deployment rules and environment drift run deployments side by side (issue #20). What they find
/// must be what one loop in order finds, and a failure must surface as that loop's would.
/// </summary>
public sealed class SideBySideTests
{
    [Fact]
    public void A_failure_surfaces_as_the_lowest_index_that_threw_as_itself()
    {
        var ran = new ConcurrentDictionary<int, byte>();
        var thrown = Assert.Throws<InvalidOperationException>(() => InvariantCultureScope.ForEach(2_000, i =>
        {
            ran.TryAdd(i, 0);
            if (i % 300 == 299)
            {
                throw new InvalidOperationException($"index {i}");
            }
        }));

        Assert.Equal("index 299", thrown.Message);
        Assert.All(Enumerable.Range(0, 299), i => Assert.True(ran.ContainsKey(i), $"index {i} did not run"));
    }

    [Fact]
    public void Every_index_runs_under_the_invariant_culture_and_the_callers_culture_is_kept()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            var seen = new string[5_000];
            InvariantCultureScope.ForEach(seen.Length, i => seen[i] = (i + 0.5).ToString(CultureInfo.CurrentCulture));

            Assert.Equal(Enumerable.Range(0, seen.Length).Select(i => $"{i}.5"), seen);
            Assert.Equal("de-DE", CultureInfo.CurrentCulture.Name);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void A_fleet_validated_side_by_side_finds_what_each_deployment_validated_alone_finds()
    {
        // Four kinds of deployment, each with findings of its own, under 400 names in two environments; no name is in
        // both, so no platform rule pairs them.
        InferenceDeployment Kind(int i, DeploymentEnvironment environment) => (i % 4) switch
        {
            0 => Fixtures.Compliant(environment),
            1 => Fixtures.Compliant(environment) with { Probes = new HealthProbes { Readiness = null } },
            2 => Fixtures.Compliant(environment) with { Scaling = new ScalingSpec { MinReplicas = 1, MaxReplicas = 1 }, DisruptionBudget = null },
            _ => Fixtures.Compliant(environment) with { Resources = new PodResources { MemoryLimitMiB = null } },
        } with { Name = $"chat-{i:D3}" };
        var fleet = Enumerable.Range(0, 400).Select(i => Kind(i, i % 2 == 0 ? DeploymentEnvironment.Prod : DeploymentEnvironment.Staging)).ToArray();

        var together = Fixtures.Validate(fleet);
        var alone = fleet.SelectMany(d => Fixtures.Validate(d).Findings).ToArray();

        string Line(Synthesis.Validation.Finding f) => $"{f.Environment}/{f.Deployment} {f.Id} {f.Outcome} {f.Severity} {f.PropertyPath}: {f.Message}";
        Assert.Equal(alone.Select(Line).Order(StringComparer.Ordinal), together.Findings.Select(Line));
        Assert.Equal(fleet.Sum(d => Fixtures.Validate(d).Evaluations), together.Evaluations);
        Assert.Contains(together.Findings, f => f.Id == "CAC1001");
    }

    [Fact]
    public void Environment_drift_of_many_names_is_reported_for_each_name()
    {
        var fleet = Enumerable.Range(0, 300).SelectMany(i =>
        {
            var staging = Fixtures.Compliant(DeploymentEnvironment.Staging) with { Name = $"chat-{i:D3}" };
            return new[] { staging, staging.In(DeploymentEnvironment.Prod) with { Engine = RuleFiringTests.Vllm() with { MaxNumSeqs = 32 + (i % 3) } } };
        }).ToArray();

        var drift = Fixtures.Validate(fleet).Violations.Where(f => f.Id == "CAC5005").Select(f => f.Deployment).ToArray();

        Assert.Equal(Enumerable.Range(0, 300).Where(i => i % 3 != 0).Select(i => $"chat-{i:D3}"), drift);
    }
}
