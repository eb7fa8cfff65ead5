using System.Linq;
using ConfigAsCode.Synthesis.Validation;
using Xunit;

namespace ConfigAsCode.Tests;

public sealed class SuppressionTests
{
    // A load one replica can serve, so the only finding is CAC1006.
    private static InferenceDeployment SingleReplica => Fixtures.Compliant() with { Scaling = new ScalingSpec { MinReplicas = 1, MaxReplicas = 1 }, Load = new ExpectedLoad { RequestsPerSecond = 0.2, InputTokens = 1000, OutputTokens = 200 } };

    [Fact]
    public void A_justified_suppression_turns_the_violation_into_a_counted_suppression()
    {
        var d = SingleReplica with { Suppressions = [new RuleSuppression("CAC1006", "internal eval tier; an outage is acceptable")] };

        var report = Fixtures.Validate(d);

        var finding = Assert.Single(report.Findings);
        Assert.Equal(FindingOutcome.Suppressed, finding.Outcome);
        Assert.Equal("internal eval tier; an outage is acceptable", finding.Justification);
        Assert.Equal(1, report.SuppressedCount);
        Assert.Empty(report.Violations);
    }

    [Theory]
    [InlineData("")]
    [InlineData("fine")]
    [InlineData("    short    ")]
    public void A_suppression_without_a_ten_character_justification_is_refused(string justification)
    {
        var d = SingleReplica with { Suppressions = [new RuleSuppression("CAC1006", justification)] };

        var ids = Fixtures.Validate(d).ViolationIds();

        Assert.Equal(["CAC1006", "CAC9010"], ids);
    }

    [Fact]
    public void Error_level_security_rules_refuse_suppression()
    {
        var d = Fixtures.Compliant() with
        {
            Security = new SecuritySpec { Privileged = true },
            Suppressions = [new RuleSuppression("CAC2003", "the driver installer needs it, really")],
        };

        var report = Fixtures.Validate(d);

        Assert.Equal(["CAC2003", "CAC9010"], report.ViolationIds());
        Assert.Contains("cannot be suppressed", report.Findings.Single(f => f.Id == "CAC9010").Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_rule_id_in_a_suppression_is_reported()
    {
        var d = Fixtures.Compliant() with { Suppressions = [new RuleSuppression("CAC1999", "a long enough justification")] };

        Assert.Equal(["CAC9010"], Fixtures.Validate(d).ViolationIds());
    }
}
