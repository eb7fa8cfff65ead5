extern alias model;

using System.Linq;
using System.Threading.Tasks;
using ConfigAsCode.CodeFixes;
using Xunit;
using V = ConfigAsCode.Analyzers.Tests.Verify<ConfigAsCode.Analyzers.DeploymentAnalyzer>;

namespace ConfigAsCode.Analyzers.Tests;

/// <summary>
/// CAC2001 for the shapes of issue #12: found by parameter, through with, constants and static readonly fields; silent
/// where only evaluation can tell (the build catches those); the code fix compiles for each and never copies the literal.
/// </summary>
public sealed class SecretLiteralTests
{
    // A Hugging Face token shape (hf_ + 34 letters); not a real credential.
    private const string Token = "hf_abcdefghijklmnopqrstuvwxyzABCDEFGH";

    private static string Class(string body, string members = "") =>
        V.Usings + "using System.Linq;\nclass C\n{\n" + members + "\n    void M()\n    {\n" + body + "\n    }\n\n    static string Read() => \"x\";\n}\n";

    [Theory]
    [InlineData("EnvVar.Literal(\"HF_TOKEN\", {|CAC2001:\"" + Token + "\"|})")]
    [InlineData("EnvVar.Literal(name: \"HF_TOKEN\", value: {|CAC2001:\"" + Token + "\"|})")]
    [InlineData("EnvVar.Literal(value: {|CAC2001:\"" + Token + "\"|}, name: \"HF_TOKEN\")")]
    [InlineData("EnvVar.Literal(value: {|CAC2001:\"" + Token + "\"|}, name: \"LOG_LEVEL\")")]
    [InlineData("EnvVar.Literal(value: {|CAC2001:\"plain-but-named\"|}, name: \"DB_PASSWORD\")")]
    [InlineData("EnvVar.Literal(\"HF_TOKEN\", value: {|CAC2001:\"" + Token + "\"|})")]
    public Task Literals_are_found_by_parameter_in_any_argument_order(string call) =>
        V.Analyzer(Class($"var e = {call};"));

    [Fact]
    public Task A_value_that_only_mentions_a_credential_word_under_a_plain_name_is_not_a_secret() =>
        V.Analyzer(Class("var e = EnvVar.Literal(value: \"MY_TOKEN_ROTATION_ENABLED\", name: \"FEATURE_FLAGS\");"));

    [Fact]
    public Task A_literal_set_through_with_is_found() =>
        V.Analyzer(Class($$"""
            var a = EnvVar.FromSecret("HF_TOKEN", "hf", "token") with { Value = {|CAC2001:"{{Token}}"|} };
            var b = EnvVar.Literal("LOG_LEVEL", "info") with { Value = {|CAC2001:"{{Token}}"|} };
            var c = EnvVar.Literal("LOG_LEVEL", "info") with { Name = {|CAC2001:"API_KEY"|} };
            var d = EnvVar.Literal("LOG_LEVEL", "info") with { Value = "debug" };
            """));

    [Fact]
    public Task Constants_and_static_readonly_fields_are_followed() =>
        V.Analyzer(Class(
            """
            var a = EnvVar.Literal("HF_TOKEN", {|CAC2001:ConstToken|});
            var b = EnvVar.Literal(TokenName, {|CAC2001:ReadonlyToken|});
            var c = EnvVar.Literal("HF_TOKEN", {|CAC2001:PropertyToken|});
            const string local = "{{Token}}";
            var d = EnvVar.Literal("HF_TOKEN", {|CAC2001:local|});
            """.Replace("{{Token}}", Token, System.StringComparison.Ordinal),
            $$"""
                const string ConstToken = "{{Token}}";
                const string TokenName = "HF_TOKEN";
                static readonly string ReadonlyToken = "{{Token}}";
                static string PropertyToken { get; } = "{{Token}}";
            """));

    [Fact]
    public Task Values_only_evaluation_can_tell_are_left_to_the_build() =>
        V.Analyzer(Class(
            $$"""
            var helper = EnvVar.Literal("HF_TOKEN", Read());
            var trimmed = EnvVar.Literal("HF_TOKEN", "{{Token}}".Trim());
            var map = new Dictionary<string, string> { ["HF_TOKEN"] = Mutable };
            var env = map.Select(p => EnvVar.Literal(p.Key, p.Value)).ToList();
            var parameter = Make("{{Token}}");
            """,
            $$"""
                static string Mutable = "{{Token}}";
                static EnvVar Make(string value) => EnvVar.Literal("HF_TOKEN", value);
            """));

    [Fact]
    public async Task No_message_quotes_the_literal()
    {
        var run = await AnalyzerRun.Of(Class($$"""
            var a = EnvVar.Literal(value: "{{Token}}", name: "HF_TOKEN");
            var b = EnvVar.Literal(value: "SECRET TOKEN VALUE 42", name: "MY_TOKEN");
            var c = EnvVar.Literal("DB_PASSWORD", "hunter2-hunter2") with { Value = "{{Token}}" };
            var d = EnvVar.Literal("{{Token}}", "plain");
            """));

        var messages = run.Reported.Where(d => d.Id == "CAC2001").Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(4, messages.Length); // a, b, both literals of c; d names the variable with a token but its value is plain: neither layer reports it
        Assert.All(messages, m =>
        {
            Assert.DoesNotContain(Token, m, System.StringComparison.Ordinal);
            Assert.DoesNotContain("SECRET TOKEN VALUE", m, System.StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2", m, System.StringComparison.Ordinal);
        });
        Assert.Contains(messages, m => m.Contains("'MY_TOKEN' is a credential name", System.StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_message_quotes_a_value_the_build_finds_a_credential_in()
    {
        // No token format, but the build's scanner calls each a credential (CAC2013: a credential query parameter, a
        // password in the user-info that the URL regex stops at): the analyzer's messages reach the same CI log.
        var run = await AnalyzerRun.Of(Class("""
            var a = new CostAttribution { Team = "assistant", CostCenter = "cc-1", Owner = "https://oncall.acme.io/hook?token=Zq81pLmN3xTr7w" };
            var b = new CostAttribution { Team = "https://svc:Pa'55w0rd@registry.acme.io", CostCenter = "cc-1" };
            var c = new ModelSpec { Id = "org/model", Revision = "https://hf.co/org/model?access_token=Zq81pLmN3xTr7w" };
            var d = new SecuritySpec { AddCapabilities = ["https://x.io/?password=Zq81pLmN3xTr7w"] };
            var e = new RuleSuppression("https://x.io/?api_key=Zq81pLmN3xTr7w", "a justification long enough");
            """));

        var messages = run.Reported.Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(["CAC2006", "CAC4002", "CAC4002", "CAC5003", "CAC9010"], run.Reported.Select(d => d.Id).Order(System.StringComparer.Ordinal));
        Assert.All(messages, m =>
        {
            Assert.DoesNotContain("Zq81pLmN3xTr7w", m, System.StringComparison.Ordinal);
            Assert.DoesNotContain("Pa'55w0rd", m, System.StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("EnvVar.Literal(\"HF_TOKEN\", {|CAC2001:\"" + Token + "\"|})", "EnvVar.FromSecret(\"HF_TOKEN\", \"hf-token\", \"value\")")]
    [InlineData("EnvVar.Literal(value: {|CAC2001:\"" + Token + "\"|}, name: \"HF_TOKEN\")", "EnvVar.FromSecret(\"HF_TOKEN\", \"hf-token\", \"value\")")]
    [InlineData("EnvVar.Literal(name: \"HF_TOKEN\", value: {|CAC2001:\"" + Token + "\"|})", "EnvVar.FromSecret(\"HF_TOKEN\", \"hf-token\", \"value\")")]
    [InlineData("EnvVar.Literal(\"HF_TOKEN\", value: {|CAC2001:\"" + Token + "\"|})", "EnvVar.FromSecret(\"HF_TOKEN\", \"hf-token\", \"value\")")]
    [InlineData("EnvVar.Literal(TokenName, {|CAC2001:ReadonlyToken|})", "EnvVar.FromSecret(TokenName, \"hf-token\", \"value\")")]
    [InlineData("EnvVar.Literal(\"HF_TOKEN\", {|CAC2001:ConstToken|})", "EnvVar.FromSecret(\"HF_TOKEN\", \"hf-token\", \"value\")")]
    // The variable already reads Secret hf, key token (a Secret wins over a Value when rendered): the fix drops the literal
    // and keeps that reference, rather than pointing the pod at a Secret hf-token that may not exist.
    [InlineData("EnvVar.FromSecret(\"HF_TOKEN\", \"hf\", \"token\") with { Value = {|CAC2001:\"" + Token + "\"|} }", "EnvVar.FromSecret(\"HF_TOKEN\", \"hf\", \"token\")")]
    [InlineData("(EnvVar.FromSecret(\"HF_TOKEN\", \"hf\", \"token\") with { Name = \"HF_TOKEN\" }) with { Value = {|CAC2001:\"" + Token + "\"|} }", "(EnvVar.FromSecret(\"HF_TOKEN\", \"hf\", \"token\") with { Name = \"HF_TOKEN\" })")]
    [InlineData("EnvVar.Literal(\"LOG_LEVEL\", \"info\") with { Name = {|CAC2001:\"OPENAI_API_KEY\"|} }", "EnvVar.FromSecret(\"OPENAI_API_KEY\", \"openai-api-key\", \"value\")")]
    [InlineData("EnvVar.Literal(\"Weird..Name__\", {|CAC2001:\"" + Token + "\"|})", "EnvVar.FromSecret(\"Weird..Name__\", \"weird.name\", \"value\")")]
    public Task The_fix_compiles_for_every_shape_and_never_copies_the_literal(string before, string after)
    {
        const string members = """
                const string ConstToken = "TOKEN";
                const string TokenName = "HF_TOKEN";
                static readonly string ReadonlyToken = "TOKEN";
            """;
        var fixedCode = Class($"var e = {after};", members.Replace("TOKEN\";", Token + "\";", System.StringComparison.Ordinal).Replace("\"HF_" + Token + "\"", "\"HF_TOKEN\"", System.StringComparison.Ordinal));
        Assert.DoesNotContain(Token, fixedCode.Substring(fixedCode.IndexOf("var e", System.StringComparison.Ordinal)), System.StringComparison.Ordinal);
        return V.Fix<CAC2001SecretReferenceCodeFix>(
            Class($"var e = {before};", members.Replace("TOKEN\";", Token + "\";", System.StringComparison.Ordinal).Replace("\"HF_" + Token + "\"", "\"HF_TOKEN\"", System.StringComparison.Ordinal)),
            fixedCode,
            CAC2001SecretReferenceCodeFix.Key);
    }

    [Theory]
    // The 'with' sets a Secret itself, or its operand is a field that may hold one: FromSecret(name, "<derived>", "value")
    // would replace a reference the diagnostic did not name.
    [InlineData("EnvVar.Literal(\"X\", \"y\") with { Name = \"HF_TOKEN\", Value = {|CAC2001:\"" + Token + "\"|}, Secret = new SecretReference(\"hf\", \"token\") }")]
    [InlineData("Shared with { Name = \"HF_TOKEN\", Value = {|CAC2001:\"" + Token + "\"|} }")]
    // A secret reference under another assignment of the same 'with': removing only Value is not a rewrite this fix makes.
    [InlineData("EnvVar.FromSecret(\"API_KEY\", \"hf\", \"token\") with { Name = \"HF_TOKEN\", Value = {|CAC2001:\"" + Token + "\"|} }")]
    // An inner 'with' that sets Secret may set it to null: dropping the outer Value kept the inner literal, a silent change.
    [InlineData("EnvVar.FromSecret(\"HF_TOKEN\", \"hf\", \"token\") with { Secret = null } with { Value = {|CAC2001:\"" + Token + "\"|} }")]
    public Task No_fix_is_offered_where_the_variable_may_already_read_a_secret(string before)
    {
        var source = Class($"var e = {before};", "    static readonly EnvVar Shared = EnvVar.FromSecret(\"HF_TOKEN\", \"hf\", \"token\");\n");
        return V.Fix<CAC2001SecretReferenceCodeFix>(source, source, CAC2001SecretReferenceCodeFix.Key, iterations: 0, fixAllIterations: 0);
    }

    [Fact]
    public void Secret_names_are_dns_subdomains_derived_from_the_variable_name_only()
    {
        Assert.Equal("hf-token", CAC2001SecretReferenceCodeFix.SecretNameFor("HF_TOKEN"));
        Assert.Equal("db-password", CAC2001SecretReferenceCodeFix.SecretNameFor("DB__PASSWORD"));
        Assert.Equal("app-secret", CAC2001SecretReferenceCodeFix.SecretNameFor("__"));
        Assert.Equal("app-secret", CAC2001SecretReferenceCodeFix.SecretNameFor(null));
        Assert.Equal(253, CAC2001SecretReferenceCodeFix.SecretNameFor(new string('A', 300)).Length);
    }

    [Theory]
    [InlineData("Weird..Name__")]
    [InlineData("db._password")]
    [InlineData("spring.datasource_.password")]
    [InlineData("API_KEY.")]
    [InlineData("..")]
    public void Secret_names_are_dns_subdomains_whatever_dots_the_variable_name_has(string variable)
    {
        // SecretReference refuses any other name, so the fixed declaration would throw when the build evaluates it (CAC9004).
        var name = CAC2001SecretReferenceCodeFix.SecretNameFor(variable);
        Assert.True(model::ConfigAsCode.KubernetesName.IsSubdomain(name), name);
    }
}
