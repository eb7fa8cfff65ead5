using System;
using System.Linq;
using ConfigAsCode.Synthesis.Evaluation;
using Xunit;

namespace ConfigAsCode.Tests;

public sealed class EnvironmentDriftTests
{
    [Fact]
    public void Undeclared_differences_are_reported_on_the_overlay_with_both_values()
    {
        var staging = Fixtures.Compliant(DeploymentEnvironment.Staging);
        var prod = staging.In(DeploymentEnvironment.Prod) with { Engine = RuleFiringTests.Vllm() with { MaxNumSeqs = 48 } };

        var drift = Fixtures.Validate(staging, prod).Violations.Where(f => f.Id == "CAC5005").ToArray();

        var finding = Assert.Single(drift);
        Assert.Equal(("prod", "Engine.MaxNumSeqs"), (finding.Environment, finding.PropertyPath));
        Assert.Contains("differs from staging: 32 → 48", finding.Message, StringComparison.Ordinal);
        Assert.Equal(prod.DeclaredAt, finding.Location);
    }

    [Fact]
    public void A_declared_parent_path_covers_its_children()
    {
        var staging = Fixtures.Compliant(DeploymentEnvironment.Staging);
        var prod = staging.In(DeploymentEnvironment.Prod) with
        {
            Scaling = new ScalingSpec { MinReplicas = 4, MaxReplicas = 9, Signal = ScalingSignal.QueueDepth(3) },
            IntendedDifferences = ["Scaling"],
        };

        Assert.DoesNotContain("CAC5005", Fixtures.Validate(staging, prod).ViolationIds());
    }

    [Fact]
    public void A_misspelt_intended_difference_is_reported()
    {
        var staging = Fixtures.Compliant(DeploymentEnvironment.Staging);
        var prod = staging.In(DeploymentEnvironment.Prod) with { IntendedDifferences = ["Scaling.MinReplica"] };

        var finding = Assert.Single(Fixtures.Validate(staging, prod).Violations, f => f.Id == "CAC5005");
        Assert.Equal("IntendedDifferences", finding.PropertyPath);
    }

    [Fact]
    public void Env_var_values_are_redacted_in_drift_messages()
    {
        var staging = Fixtures.Compliant(DeploymentEnvironment.Staging) with { Env = [EnvVar.Literal("LOG_LEVEL", "debug-staging-value")] };
        var prod = staging.In(DeploymentEnvironment.Prod) with { Env = [EnvVar.Literal("LOG_LEVEL", "info-prod-value")] };

        var finding = Assert.Single(Fixtures.Validate(staging, prod).Violations, f => f.Id == "CAC5005");
        Assert.DoesNotContain("value", finding.Message.Replace("(values redacted)", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void The_flattener_uses_invariant_formatting_and_keys_lists_by_name()
    {
        var d = Fixtures.Compliant() with { Env = [EnvVar.FromSecret("HF_TOKEN", "hf-token", "token")] };

        var pairs = DeploymentFlattener.Flatten(d);
        var flat = pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

        Assert.Equal("0.9", flat["Engine.GpuMemoryUtilization"]);
        Assert.Equal("VllmEngine", flat["Engine.$type"]);
        Assert.Equal("hf-token", flat["Env[HF_TOKEN].Secret.Name"]);
        Assert.Equal("90", flat["Probes.Startup.FailureThreshold"]);
        Assert.DoesNotContain(flat.Keys, k => k.StartsWith("DeclaredAt", StringComparison.Ordinal) || k.StartsWith("Environment", StringComparison.Ordinal));
        Assert.Equal(pairs.Select(p => p.Key).OrderBy(k => k, StringComparer.Ordinal), pairs.Select(p => p.Key));
    }

    [Fact]
    public void Flags_durations_and_unset_numbers_are_formatted_as_they_always_were()
    {
        // These leaves have compiled formatters of their own (no boxing); the texts are the config hash's input, so a
        // change here would change every deployment's config-hash annotation.
        var d = Fixtures.Compliant();
        var loaded = d with { Model = d.Model with { LoadTime = TimeSpan.FromSeconds(90.5) } };
        var unset = d with { Model = d.Model with { LoadTime = null } };

        var flat = DeploymentFlattener.Flatten(loaded).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        Assert.Equal("00:01:30.5000000", flat["Model.LoadTime"]);
        Assert.Equal("true", flat["Security.RunAsNonRoot"]);
        Assert.Equal("false", flat["Security.Privileged"]);
        Assert.Equal("null", DeploymentFlattener.Flatten(unset).Single(p => p.Key == "Model.LoadTime").Value);
    }

    [Theory]
    [InlineData("plain-value")]
    [InlineData("emoji \U0001F680 and accents \u00e9\u00e8")]
    [InlineData("lone high \ud83d surrogate")]
    [InlineData("lone low \ude80 surrogate")]
    public void The_config_hash_is_the_SHA_256_of_the_walk_as_one_UTF_8_text(string value)
    {
        // A long value crosses the digest's 4,096-byte buffer, so a surrogate pair can fall on a piece boundary.
        var d = Fixtures.Compliant() with { Env = [EnvVar.Literal("NOTE", new string('x', 4095) + value), EnvVar.Literal("OTHER", value)] };
        var text = new System.Text.StringBuilder("environment=").Append(d.Environment.Name).Append('\n');
        DeploymentFlattener.VisitLeaves(d, (path, leaf) => text.Append(path).Append('=').Append(leaf).Append('\n'));
        var expected = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString())), 0, 8).ToLowerInvariant();

        Assert.Equal(expected, DeploymentFlattener.Hash(d));
        Assert.NotEqual(DeploymentFlattener.Hash(d with { Env = [EnvVar.Literal("NOTE", value)] }), DeploymentFlattener.Hash(d));
    }
}
