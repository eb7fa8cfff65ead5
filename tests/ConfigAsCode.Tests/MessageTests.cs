using System;
using System.Linq;
using ConfigAsCode.Synthesis.Rules;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>Every build-time finding says what to do, in its last sentence; and no message writes "a" before a vowel sound.</summary>
public sealed class MessageTests
{
    /// <summary>The verbs a last sentence may start with: each one is an instruction.</summary>
    internal static readonly string[] Instructions =
    [
        "Add", "Authenticate", "Check", "Copy", "Declare", "Give", "Keep", "Lower", "Make", "Name", "Pin", "Raise", "Read", "Remove",
        "Rename", "Restrict", "Revert", "Say", "Scale", "Set", "Shorten", "Start", "Use", "Fix", "Delete", "Correct", "Suppress", "Store", "Move",
    ];

    public static TheoryData<string> RuleIds()
    {
        var data = new TheoryData<string>();
        foreach (var (id, _) in RuleFiringTests.ViolatingConfigs())
        {
            data.Add(id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Every_finding_ends_with_what_to_do(string ruleId)
    {
        var deployments = RuleFiringTests.ViolatingConfigs().Single(v => v.RuleId == ruleId).Deployments;

        foreach (var finding in Fixtures.Validate(deployments).Violations)
        {
            Assert.True(EndsWithInstruction(finding.Message), $"{finding.Id}: '{finding.Message}' does not end with what to do");
        }
    }

    [Fact]
    public void Secret_reasons_use_an_before_a_vowel_sound()
    {
        var openAi = "sk-proj-" + new string('a', 24);
        var aws = "AKIA" + new string('B', 16);

        Assert.Equal("its value has the format of an OpenAI API key", RuleFacts.SecretLiteralReason("X", openAi));
        Assert.Equal("its value has the format of an AWS access key", RuleFacts.SecretLiteralReason("X", aws));
        Assert.Equal("its value has the format of a Hugging Face token", RuleFacts.SecretLiteralReason("X", "hf_" + new string('a', 34)));
        Assert.Equal("'DB_PASSWORD' is a credential name and must not carry a literal", RuleFacts.SecretLiteralReason("DB_PASSWORD", "x"));
    }

    /// <summary>
    /// The last sentence starts with an instruction verb ("Set X = 1; caches go to volumes."), or is a condition followed by
    /// one ("If this is intended, add ...").
    /// </summary>
    internal static bool EndsWithInstruction(string message)
    {
        var trimmed = message.TrimEnd('.', ' ');
        var start = trimmed.LastIndexOf(". ", StringComparison.Ordinal);
        var last = start < 0 ? trimmed : trimmed.Substring(start + 2);
        if (last.StartsWith("If ", StringComparison.Ordinal) && last.IndexOf(", ", StringComparison.Ordinal) is > 0 and var comma)
        {
            last = last.Substring(comma + 2);
            last = char.ToUpperInvariant(last[0]) + last.Substring(1);
        }

        return Instructions.Contains(last.Split(' ', ',', ';')[0], StringComparer.Ordinal);
    }
}
