using System;
using System.IO;
using System.Linq;
using Xunit;

namespace ConfigAsCode.EndToEnd;

/// <summary>
/// The ConfigAsCode package this commit builds, packed once per test run into a temporary local feed, and for each
/// scenario class an isolated NUGET_PACKAGES folder and projects folder, so every scenario restores exactly that package.
/// </summary>
public sealed class PackageFeed : IDisposable
{
    public const string Version = "0.1.0-e2e";

    // One pack for every class: xUnit builds the classes' fixtures in parallel, and two packs of one repository at
    // once write the same bin/ files (a fresh clone's CI run failed on ConfigAsCode.deps.json "used by another
    // process"). A failed pack is remembered, so every class reports it rather than packing again.
    private static readonly Lazy<string> Packed = new(Pack, System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);

    public PackageFeed()
    {
        Root = Path.Combine(Path.GetTempPath(), "cac-e2e-" + Guid.NewGuid().ToString("N")[..8]);
        Feed = Packed.Value;
        Packages = Path.Combine(Root, "packages");
        Directory.CreateDirectory(Root);
        Package = Directory.GetFiles(Feed, "ConfigAsCode.*.nupkg").Single();
    }

    private static string Pack()
    {
        var feed = Path.Combine(Path.GetTempPath(), "cac-e2e-feed-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(feed);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Delete(feed);
        DotNet.Result pack;
        lock (DotNet.RepositoryBuilds)
        {
            pack = DotNet.Run(DotNet.RepositoryRoot, $"pack msbuild/ConfigAsCode.Build/ConfigAsCode.Build.csproj -c Release -o \"{feed}\" -p:Version={Version} -nodeReuse:false");
        }

        Assert.True(pack.Succeeded, "dotnet pack failed: " + pack);
        return feed;
    }

    public string Root { get; }

    public string Feed { get; }

    public string Packages { get; }

    public string Package { get; }

    /// <summary>Creates a project folder with a nuget.config that adds the local feed.</summary>
    public string NewProjectDirectory(string name)
    {
        var directory = Path.Combine(Root, "projects", name + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="configascode-local" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        return directory;
    }

    public void Dispose() => Delete(Root);

    private static void Delete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
