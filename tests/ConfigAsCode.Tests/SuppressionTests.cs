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

    private static readonly System.DateTime Today = new(2026, 12, 1);

    private static ValidationReport ValidateOn(System.DateTime? today, InferenceDeployment d) =>
        PlatformValidator.Validate([d], ConfigAsCode.Synthesis.Rules.RuleOptions.Default with { Today = today });

    [Theory]
    [InlineData("2026-12-01", false)] // the last day it applies
    [InlineData("2026-11-30", true)]
    [InlineData("2027-06-30", false)]
    public void A_suppression_stops_suppressing_the_day_after_it_expires_and_the_build_names_its_owner(string expires, bool expired)
    {
        var d = SingleReplica with { Suppressions = [new RuleSuppression("CAC1006", "internal eval tier; an outage is acceptable") { Owner = "team-evals", Since = "2026-09-01", Expires = expires }] };

        var report = ValidateOn(Today, d);

        if (expired)
        {
            Assert.Equal(["CAC1006", "CAC9016"], report.ViolationIds());
            var finding = report.Findings.Single(f => f.Id == "CAC9016");
            Assert.Equal("Suppressions[0].Expires", finding.PropertyPath);
            Assert.Contains("owner: team-evals", finding.Message, System.StringComparison.Ordinal);
            Assert.Contains("expired on 2026-11-30 (1 day(s) ago)", finding.Message, System.StringComparison.Ordinal);
        }
        else
        {
            var finding = Assert.Single(report.Findings);
            Assert.Equal(FindingOutcome.Suppressed, finding.Outcome);
            Assert.Equal("team-evals", finding.Suppression!.Owner);
        }
    }

    [Fact]
    public void Without_a_day_to_judge_against_expiry_is_not_checked()
    {
        var d = SingleReplica with { Suppressions = [new RuleSuppression("CAC1006", "internal eval tier; an outage is acceptable") { Expires = "2000-01-01" }] };

        Assert.Equal(FindingOutcome.Suppressed, Assert.Single(ValidateOn(null, d).Findings).Outcome);
    }

    [Theory]
    [InlineData("2027/03/31", null, "Expires = \"2027/03/31\" is not a date")]
    [InlineData("31-03-2027", null, "is not a date")]
    [InlineData("2027-02-30", null, "is not a date")]
    [InlineData(null, "yesterday", "Since = \"yesterday\" is not a date")]
    [InlineData("2026-10-01", "2026-11-01", "expires (2026-10-01) before it was granted (2026-11-01)")]
    public void Dates_that_are_not_days_or_run_backwards_make_the_suppression_invalid(string? expires, string? since, string message)
    {
        var d = SingleReplica with { Suppressions = [new RuleSuppression("CAC1006", "internal eval tier; an outage is acceptable") { Expires = expires, Since = since }] };

        var report = ValidateOn(Today, d);

        Assert.Equal(["CAC1006", "CAC9010"], report.ViolationIds());
        Assert.Contains(message, report.Findings.Single(f => f.Id == "CAC9010").Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void An_expiry_is_judged_by_the_calendar_day_in_every_culture()
    {
        var d = SingleReplica with { Suppressions = [new RuleSuppression("CAC1006", "internal eval tier; an outage is acceptable") { Expires = "2026-11-30" }] };
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            foreach (var culture in new[] { "th-TH", "ar-SA", "fa-IR", "en-US" })
            {
                System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo(culture);
                Assert.Equal(["CAC1006", "CAC9016"], ValidateOn(Today, d).ViolationIds());
            }
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }
}
