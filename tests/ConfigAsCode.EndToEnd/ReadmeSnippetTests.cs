using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace ConfigAsCode.EndToEnd;

/// <summary>
/// The README's C# snippets compile as written. Every ```csharp block of README.md is preceded by a marker line:
/// <list type="bullet">
/// <item><c>&lt;!-- compiled by ReadmeSnippetTests --&gt;</c>: a class library with the packed package compiles it
/// with no error (compiler or analyzer); the one followed by the README's deploy/ listing also goes through the
/// own-project steps (build, accept, build) and deploy/ then holds exactly the files listed;</item>
/// <item><c>&lt;!-- compiled by ReadmeSnippetTests; with the block above, against src/ConfigAsCode.Synthesis --&gt;</c>:
/// a console program, with the marked block above it, referencing the repository's Synthesis project (the rule engine
/// is not in the package); it runs, and prints the finding its comment quotes;</item>
/// <item><c>&lt;!-- not compiled: reason --&gt;</c>: a fragment, skipped with its reason.</item>
/// </list>
/// A block with no marker, a marker with anything else, or a marker that is not followed by a block fails.
/// </summary>
public sealed class ReadmeSnippetTests(PackageFeed feed, ITestOutputHelper output) : IClassFixture<PackageFeed>
{
    private const string CompiledMarker = "<!-- compiled by ReadmeSnippetTests";
    private const string NotCompiledMarker = "<!-- not compiled: ";
    private const string DeployListingMarker = "<!-- deploy/ of the block above, checked by ReadmeSnippetTests -->";
    private const string SynthesisOption = "with the block above, against src/ConfigAsCode.Synthesis";

    private enum SnippetKind
    {
        Package,
        SynthesisProgram,
    }

    private sealed record Snippet(int Line, string Code, SnippetKind Kind, Snippet? Above)
    {
        public override string ToString() => $"README.md line {Line}";
    }

    private static string Readme => File.ReadAllText(Path.Combine(DotNet.RepositoryRoot, "README.md"));

    [Fact]
    public void Every_marked_snippet_compiles_against_the_packed_package_without_errors()
    {
        var snippets = Snippets(Readme).Where(s => s.Kind == SnippetKind.Package).ToList();

        Assert.NotEmpty(snippets);
        foreach (var snippet in snippets)
        {
            var project = new ConfigProject(feed, output, "Snippet");
            project.WriteDeploymentsSource(snippet.Code);

            // The gate is off: this is about compiling (and the analyzers, which run as part of the compile).
            var build = project.Build("-p:ConfigAsCodeEnabled=false");

            var errors = Regex.Matches(build.Output, @"error ([A-Z]+[0-9]+):").Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToArray();
            Assert.True(build.Succeeded && errors.Length == 0, $"{snippet} does not compile against the package: [{string.Join(", ", errors)}]\n{build}");
        }
    }

    [Fact]
    public void The_own_project_steps_fail_on_the_new_files_accept_them_into_the_listed_files_and_then_pass()
    {
        var readme = Readme;
        var (snippet, listed) = DeployListing(readme);
        var project = new ConfigProject(feed, output, "MyPlatform");
        project.WriteDeploymentsSource(snippet.Code);

        var first = project.Build();
        Assert.False(first.Succeeded, first.ToString());
        Assert.Equal(new[] { "CAC9002" }, DotNet.ErrorCodes(first.Output));

        var accept = project.Build("-p:ConfigAsCodeAcceptChanges=true");
        Assert.True(accept.Succeeded, accept.ToString());

        var written = Directory.GetFiles(project.Snapshots, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(project.Directory, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(listed, written);

        var again = project.Build();
        Assert.True(again.Succeeded, again.ToString());
        Assert.Contains("no drift against deploy", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_rule_engine_snippet_compiles_against_the_synthesis_project_and_prints_the_finding_it_quotes()
    {
        var snippets = Snippets(Readme).Where(s => s.Kind == SnippetKind.SynthesisProgram).ToList();

        Assert.NotEmpty(snippets);
        foreach (var snippet in snippets)
        {
            var directory = feed.NewProjectDirectory("ReadmeEngine");
            var synthesis = Path.Combine(DotNet.RepositoryRoot, "src", "ConfigAsCode.Synthesis", "ConfigAsCode.Synthesis.csproj");
            File.WriteAllText(Path.Combine(directory, "ReadmeEngine.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                  </PropertyGroup>
                  <ItemGroup>
                    <ProjectReference Include="{synthesis}" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(directory, "Platform.cs"), snippet.Above!.Code);
            File.WriteAllText(Path.Combine(directory, "Program.cs"), snippet.Code);

            // The repository's own packages (YamlDotNet, DiffPlex) restore from the usual cache, as in a clone.
            DotNet.Result build;
            lock (DotNet.RepositoryBuilds)
            {
                build = DotNet.Run(directory, "build -nodeReuse:false");
            }

            output.WriteLine($"$ dotnet build ({snippet})\n{build.Output}");
            Assert.True(build.Succeeded, $"{snippet}: {build}");

            var run = DotNet.Run(directory, "run --no-build");
            output.WriteLine($"$ dotnet run\n{run.Output}");
            Assert.True(run.Succeeded, $"{snippet}: {run}");
            var quoted = snippet.Code.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("//", StringComparison.Ordinal) && l.Contains(" error CAC", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(quoted);
            foreach (var line in quoted)
            {
                // The README's file name and line are the reader's; the rest is what the engine prints.
                var text = line[line.IndexOf("error CAC", StringComparison.Ordinal)..];
                Assert.True(run.Output.Contains(text, StringComparison.Ordinal), $"{snippet}: the program did not print '{text}'\n{run.Output}");
            }
        }
    }

    private static IReadOnlyList<Snippet> Snippets(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var snippets = new List<Snippet>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith(CompiledMarker, StringComparison.Ordinal) || lines[i].StartsWith(NotCompiledMarker, StringComparison.Ordinal))
            {
                Assert.True(i + 1 < lines.Length && lines[i + 1] == "```csharp", $"README.md line {i + 1}: a snippet marker must be followed directly by a ```csharp block");
            }

            if (lines[i] != "```csharp")
            {
                continue;
            }

            var marker = i > 0 ? lines[i - 1] : string.Empty;
            var end = Array.IndexOf(lines, "```", i + 1);
            Assert.True(end > i, $"README.md line {i + 1}: the ```csharp block is not closed");
            var code = string.Join("\n", lines[(i + 1)..end]) + "\n";
            if (marker.StartsWith(NotCompiledMarker, StringComparison.Ordinal) && marker.EndsWith("-->", StringComparison.Ordinal) && marker.Length > NotCompiledMarker.Length + 3)
            {
                continue;
            }

            Assert.True(marker.StartsWith(CompiledMarker, StringComparison.Ordinal) && marker.EndsWith(" -->", StringComparison.Ordinal), $"README.md line {i + 1}: a ```csharp block needs '{CompiledMarker} -->' (or '{NotCompiledMarker}<why> -->') on the line before it");
            var option = marker[CompiledMarker.Length..^" -->".Length];
            if (option.Length == 0)
            {
                snippets.Add(new Snippet(i + 1, code, SnippetKind.Package, null));
            }
            else if (option == "; " + SynthesisOption)
            {
                var above = snippets.LastOrDefault(s => s.Kind == SnippetKind.Package);
                Assert.True(above is not null, $"README.md line {i + 1}: '{SynthesisOption}' needs a marked block above it");
                snippets.Add(new Snippet(i + 1, code, SnippetKind.SynthesisProgram, above));
            }
            else
            {
                Assert.Fail($"README.md line {i + 1}: unknown snippet marker '{marker}'");
            }

            i = end;
        }

        return snippets;
    }

    /// <summary>The README's deploy/ listing (a ```text block, one path per line) and the marked snippet above it.</summary>
    private static (Snippet Snippet, string[] Listed) DeployListing(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var marker = Array.IndexOf(lines, DeployListingMarker);
        Assert.True(marker > 0 && lines[marker + 1] == "```text", $"README.md: no '{DeployListingMarker}' followed by a ```text block");
        var snippet = Snippets(markdown).LastOrDefault(s => s.Kind == SnippetKind.Package && s.Line < marker + 1);
        Assert.True(snippet is not null, $"README.md line {marker + 1}: the deploy/ listing has no marked snippet above it");
        var end = Array.IndexOf(lines, "```", marker + 2);
        var listed = lines[(marker + 2)..end].Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        Assert.NotEmpty(listed);
        Assert.All(listed, l => Assert.StartsWith("deploy/", l, StringComparison.Ordinal));
        return (snippet, listed.Order(StringComparer.Ordinal).ToArray());
    }
}
