using System;
using System.Collections.Generic;
using System.Linq;
using ConfigAsCode.Synthesis.Evaluation;
using Xunit;

namespace ConfigAsCode.Tests;

public sealed class PlatformEvaluatorTests
{
    [Fact]
    public void Discovery_finds_public_concrete_platforms_in_a_fixed_order()
    {
        var types = PlatformEvaluator.FindPlatformTypes(typeof(PlatformEvaluatorTests).Assembly).Select(t => t.Name).ToArray();

        Assert.Equal(["GoodPlatform", "ThrowingIteratorPlatform", "ThrowingPlatform"], types);
    }

    [Fact]
    public void A_good_platform_yields_its_deployments()
    {
        var result = PlatformEvaluator.Evaluate([new GoodPlatform()]);

        Assert.False(result.Failed);
        Assert.Equal(["dev", "prod"], result.Deployments.Select(d => d.Environment.Name).ToArray());
    }

    [Fact]
    public void User_code_that_throws_becomes_one_CAC9004_naming_the_member_and_the_exception()
    {
        var result = PlatformEvaluator.Evaluate([new ThrowingPlatform()]);

        var failure = Assert.Single(result.Failures);
        Assert.Equal("CAC9004", failure.Id);
        Assert.Contains("ConfigAsCode.Tests.ThrowingPlatform.Declare()", failure.Message, StringComparison.Ordinal);
        Assert.Contains("System.InvalidOperationException: budget file missing", failure.Message, StringComparison.Ordinal);
        Assert.Empty(result.Deployments);
    }

    [Fact]
    public void Exceptions_thrown_while_enumerating_an_iterator_are_caught_too()
    {
        var result = PlatformEvaluator.Evaluate([new ThrowingIteratorPlatform()]);

        Assert.Equal("CAC9004", Assert.Single(result.Failures).Id);
        Assert.Contains("ArgumentException", result.Failures[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluating_an_assembly_reports_each_failing_platform_and_keeps_the_good_ones()
    {
        var result = PlatformEvaluator.Evaluate(typeof(PlatformEvaluatorTests).Assembly);

        Assert.Equal(2, result.Failures.Count);
        Assert.Equal(2, result.Deployments.Count);
        Assert.True(result.Failed);
    }

    [Fact]
    public void Secrets_in_exception_messages_are_redacted()
    {
        var token = "hf_" + new string('m', 34);
        var result = PlatformEvaluator.Evaluate([new LeakingPlatform(token)]);

        Assert.DoesNotContain(token, result.Failures.Single().Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hf/token", "contains '/'")]
    [InlineData("api key", "contains ' '")]
    [InlineData(".", "is '.'")]
    [InlineData("..data", "starts with '..'")]
    [InlineData("tok\u00e9n", "contains U+00E9")]
    public void A_secret_key_the_API_server_refuses_is_a_coded_error_where_it_is_declared(string key, string why)
    {
        var result = PlatformEvaluator.Evaluate([new SecretKeyPlatform(key)]);

        var failure = Assert.Single(result.Failures);
        Assert.Equal("CAC9004", failure.Id);
        Assert.Contains("A secret key " + why, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ConfigAsCode", failure.Message, StringComparison.Ordinal);
        Assert.Empty(result.Deployments);
    }

    [Fact]
    public void A_secret_key_is_never_echoed_it_may_be_the_secret()
    {
        var token = "sk-live/" + new string('q', 40);

        var failure = Assert.Single(PlatformEvaluator.Evaluate([new SecretKeyPlatform(token)]).Failures);

        Assert.DoesNotContain(token, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('q', 40), failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("token", true)]
    [InlineData("HF_TOKEN.v2-a", true)]
    [InlineData(".hidden", true)]
    [InlineData("a/b", false)]
    [InlineData("", false)]
    [InlineData("..", false)]
    public void Secret_keys_are_what_the_API_server_accepts(string key, bool valid)
    {
        Assert.Equal(valid, KubernetesName.IsSecretKey(key));
        Assert.True(KubernetesName.IsSecretKey(new string('k', 253)));
        Assert.False(KubernetesName.IsSecretKey(new string('k', 254)));
    }

    private sealed class SecretKeyPlatform(string key) : InferencePlatform
    {
        public override IEnumerable<InferenceDeployment> Declare() => [Fixtures.Compliant() with { Env = [EnvVar.FromSecret("API_KEY", "api", key)] }];
    }

    private sealed class LeakingPlatform(string token) : InferencePlatform
    {
        public override IEnumerable<InferenceDeployment> Declare() => throw new InvalidOperationException("bad token " + token);
    }
}

public sealed class GoodPlatform : InferencePlatform
{
    public override IEnumerable<InferenceDeployment> Declare()
    {
        var dev = Fixtures.Compliant(DeploymentEnvironment.Dev);
        yield return dev;
        yield return dev.In(DeploymentEnvironment.Prod);
    }
}

public sealed class ThrowingPlatform : InferencePlatform
{
    public override IEnumerable<InferenceDeployment> Declare() => throw new InvalidOperationException("budget file missing");
}

public sealed class ThrowingIteratorPlatform : InferencePlatform
{
    public override IEnumerable<InferenceDeployment> Declare()
    {
        yield return Fixtures.Compliant() with { Name = "Not A Valid Name" };
    }
}
