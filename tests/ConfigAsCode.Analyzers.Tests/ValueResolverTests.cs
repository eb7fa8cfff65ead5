using System.Threading.Tasks;
using Xunit;
using V = ConfigAsCode.Analyzers.Tests.Verify<ConfigAsCode.Analyzers.DeploymentAnalyzer>;

namespace ConfigAsCode.Analyzers.Tests;

/// <summary>What the analyzer follows to a value, and where it must stop because the value written is not the value read.</summary>
public sealed class ValueResolverTests
{
    private static string Class(string members, string body) => V.Usings + "class C\n{\n" + members + "\n    void M()\n    {\n" + body + "\n    }\n}\n";

    [Fact]
    public Task Fields_properties_and_single_assignment_locals_are_followed() =>
        V.Analyzer(Class(
            """
                static readonly int Zero = 0;
                static int AlsoZero { get; } = Zero;
            """,
            """
                var a = new ScalingSpec { MinReplicas = {|CAC1009:Zero|}, MaxReplicas = 2 };
                var b = new ScalingSpec { MinReplicas = {|CAC1009:AlsoZero|}, MaxReplicas = 2 };
                var local = 0;
                var c = new ScalingSpec { MinReplicas = {|CAC1009:local|}, MaxReplicas = 2 };
            """));

    [Fact]
    public Task A_field_a_static_constructor_assigns_is_not_followed() =>
        V.Analyzer(Class(
            """
                static readonly int Replicas = 0;
                static C() { C.Replicas = 2; }
            """,
            "var a = new ScalingSpec { MinReplicas = Replicas, MaxReplicas = 2 };"));

    [Fact]
    public Task A_field_read_by_an_earlier_static_initializer_still_holds_its_default_and_is_not_followed() =>
        V.Analyzer(Class(
            """
                static readonly ScalingSpec Early = new() { MinReplicas = Later, MaxReplicas = 2 };
                static readonly int Later = 0;
                static readonly ScalingSpec After = new() { MinReplicas = {|CAC1009:Later|}, MaxReplicas = 2 };
            """,
            string.Empty));

    [Fact]
    public Task Locals_written_again_or_passed_by_reference_are_not_followed() =>
        V.Analyzer(Class(
            "static void Touch(ref int value) => value = 2;",
            """
                var assigned = 0;
                assigned = 2;
                var a = new ScalingSpec { MinReplicas = assigned, MaxReplicas = 2 };
                var incremented = 0;
                incremented++;
                var b = new ScalingSpec { MinReplicas = incremented, MaxReplicas = 2 };
                var byReference = 0;
                Touch(ref byReference);
                var c = new ScalingSpec { MinReplicas = byReference, MaxReplicas = 2 };
                foreach (var loop in new[] { 0, 2 })
                {
                    var d = new ScalingSpec { MinReplicas = loop, MaxReplicas = 2 };
                }
            """));
}
