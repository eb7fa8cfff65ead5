using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit.Abstractions;

namespace ConfigAsCode.EndToEnd;

/// <summary>A temporary config project with one PackageReference to ConfigAsCode, as a user would write it.</summary>
internal sealed class ConfigProject
{
    private readonly PackageFeed _feed;
    private readonly ITestOutputHelper _output;

    public ConfigProject(PackageFeed feed, ITestOutputHelper output, string name = "Platform")
    {
        _feed = feed;
        _output = output;
        Directory = feed.NewProjectDirectory(name);
        Name = name;
        File.WriteAllText(ProjectFile, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ConfigAsCode" Version="{PackageFeed.Version}" />
              </ItemGroup>
            </Project>
            """);
        WriteDeployments();
    }

    public string Directory { get; }

    public string Name { get; }

    public string ProjectFile => Path.Combine(Directory, Name + ".csproj");

    public string Snapshots => Path.Combine(Directory, "deploy");

    /// <summary>Writes Deployments.cs with the given knobs.</summary>
    public void WriteDeployments(int maxNumSeqs = 64, bool includeSecondModel = true, bool throwInDeclare = false)
    {
        var second = includeSecondModel
            ? """
                    yield return chat with { Name = "summarize", Model = chat.Model with { Id = "meta-llama/Llama-3.1-8B-Instruct" } };
              """
            : string.Empty;
        var boom = throwInDeclare ? "        throw new InvalidOperationException(\"price sheet not found\");\n" : string.Empty;
        File.WriteAllText(Path.Combine(Directory, "Deployments.cs"), $$"""
            using ConfigAsCode;

            namespace E2E;

            public sealed class Platform : InferencePlatform
            {
                public override IEnumerable<InferenceDeployment> Declare()
                {
            {{boom}}        var chat = new InferenceDeployment
                    {
                        Name = "chat",
                        Namespace = "inference",
                        Environment = DeploymentEnvironment.Prod,
                        Model = new ModelSpec { Id = "meta-llama/Llama-3.1-8B-Instruct", Revision = "0e9e39f249a16976918f6564b8830bc894c89659" },
                        Engine = new VllmEngine { MaxNumSeqs = {{maxNumSeqs}}, MaxNumBatchedTokens = 8192, MaxModelLen = 8192 },
                        Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = "v0.6.4", Digest = "sha256:0f6bd6d1d2cb2b7f5e0e4a1a3a4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3" },
                        Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L4 },
                        Cluster = new ClusterProfile { SharedStorageClass = "efs-sc", EgressProxy = "http://egress-proxy.egress:3128" },
                        Cost = new CostAttribution { Team = "ml", CostCenter = "cc-1" },
                        Load = new ExpectedLoad { RequestsPerSecond = 2, InputTokens = 500, OutputTokens = 100 },
                    };
                    yield return chat;
            {{second}}    }
            }
            """);
    }

    /// <summary>Replaces Deployments.cs with <paramref name="source"/>.</summary>
    public void WriteDeploymentsSource(string source) => File.WriteAllText(Path.Combine(Directory, "Deployments.cs"), source);

    public DotNet.Result Build(string extraArguments = "", IReadOnlyDictionary<string, string>? environment = null)
    {
        var binlog = Path.Combine(Directory, $"build-{Guid.NewGuid():N}.binlog");
        var result = DotNet.Run(Directory, $"build \"{ProjectFile}\" -nodeReuse:false -bl:\"{binlog}\" {extraArguments}", environment, _feed.Packages);
        _output.WriteLine($"$ dotnet build {extraArguments}\n{result.Output}");
        LastBinlog = KeepBinlog(binlog);
        return result;
    }

    /// <summary>The binlog of the last build (kept beside the test assembly), or null.</summary>
    public string? LastBinlog { get; private set; }

    /// <summary>Writes (or replaces) a source file of the project.</summary>
    public void WriteSource(string fileName, string content) => File.WriteAllText(Path.Combine(Directory, fileName), content);

    /// <summary>Adds items or properties to the project file, before its closing tag.</summary>
    public void AddToProject(string xml) =>
        File.WriteAllText(ProjectFile, File.ReadAllText(ProjectFile).Replace("</Project>", xml + "\n</Project>", StringComparison.Ordinal));

    /// <summary>Every file under the output folder's configascode/ and under deploy/, with its bytes.</summary>
    public IEnumerable<(string Path, byte[] Bytes)> GateFiles() =>
        new[] { Path.Combine(Directory, "obj"), Snapshots }
            .Where(System.IO.Directory.Exists)
            .SelectMany(root => System.IO.Directory.GetFiles(root, "*", SearchOption.AllDirectories))
            .Where(p => p.StartsWith(Snapshots, StringComparison.Ordinal) || p.Replace('\\', '/').Contains("/configascode/", StringComparison.Ordinal))
            .Select(p => (p, File.ReadAllBytes(p)));

    public DotNet.Result Git(string arguments) => Run("git", arguments);

    public IReadOnlyDictionary<string, byte[]> SnapshotBytes() =>
        System.IO.Directory.Exists(Snapshots)
            ? System.IO.Directory.GetFiles(Snapshots, "*", SearchOption.AllDirectories).OrderBy(p => p, StringComparer.Ordinal).ToDictionary(p => p, File.ReadAllBytes, StringComparer.Ordinal)
            : new Dictionary<string, byte[]>();

    private DotNet.Result Run(string file, string arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo(file, arguments) { WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return new DotNet.Result(process.ExitCode, output);
    }

    // The temporary folder is deleted after the run, so every binlog is copied next to the test assembly, where a
    // failing test's log points (and where a test can read it).
    private string? KeepBinlog(string binlog)
    {
        if (!File.Exists(binlog))
        {
            return null;
        }

        var kept = Path.Combine(AppContext.BaseDirectory, "binlogs", Path.GetFileName(Directory) + "-" + Path.GetFileName(binlog));
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(kept)!);
        File.Copy(binlog, kept, overwrite: true);
        File.Delete(binlog);
        _output.WriteLine($"binlog: {kept}");
        return kept;
    }
}
