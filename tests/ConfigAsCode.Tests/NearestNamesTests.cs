using System;
using System.Linq;
using ConfigAsCode.Synthesis.Rules;
using Xunit;

namespace ConfigAsCode.Tests;

public sealed class NearestNamesTests
{
    [Theory]
    [InlineData("Qwen/Qwen2.5-72B-Instrcut", "Qwen/Qwen2.5-72B-Instruct")] // swapped letters: one edit
    [InlineData("meta-llama/Llama-3.1-8B-Instrut", "meta-llama/Llama-3.1-8B-Instruct")]
    [InlineData("META-LLAMA/LLAMA-3.1-70B-INSTRUCTX", "meta-llama/Llama-3.1-70B-Instruct")]
    public void A_typo_in_a_model_id_is_answered_with_the_catalog_id(string typo, string expected)
    {
        var report = Fixtures.Validate(Fixtures.Compliant() with { Model = new ModelSpec { Id = typo, Revision = Fixtures.Revision } });

        var finding = Assert.Single(report.Violations, f => f.Id == "CAC3010");
        Assert.Contains($"Did you mean '{expected}'", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_no_catalog_id_is_close_to_gets_no_guess()
    {
        var report = Fixtures.Validate(Fixtures.Compliant() with { Model = new ModelSpec { Id = "acme/house-model-13b", Revision = Fixtures.Revision } });

        Assert.DoesNotContain("Did you mean", Assert.Single(report.Violations, f => f.Id == "CAC3010").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Suggestions_are_nearest_first_then_ordinal_and_exclude_the_name_itself()
    {
        Assert.Equal(["abcd", "abce"], NearestNames.Of("abcx", ["zzzz", "abce", "abcd", "ABCX"], maxDistance: 1));
        Assert.Equal(1, NearestNames.Distance("instrcut", "instruct"));
        Assert.Equal(3, NearestNames.Distance("", "abc"));
        Assert.Empty(NearestNames.Of(null, ["a"]));
    }
}
