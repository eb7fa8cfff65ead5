using System;
using System.IO;
using System.Linq;
using Xunit;

namespace ConfigAsCode.EndToEnd;

/// <summary>
/// Packs the ConfigAsCode package once into a temporary local feed, with an isolated NUGET_PACKAGES folder, so
/// every scenario restores exactly the package this commit builds.
/// </summary>
public sealed class PackageFeed : IDisposable
{
    public const string Version = "0.1.0-e2e";

    public PackageFeed()
    {
        Root = Path.Combine(Path.GetTempPath(), "cac-e2e-" + Guid.NewGuid().ToString("N")[..8]);
        Feed = Path.Combine(Root, "feed");
        Packages = Path.Combine(Root, "packages");
        Directory.CreateDirectory(Feed);
        var pack = DotNet.Run(DotNet.RepositoryRoot, $"pack msbuild/ConfigAsCode.Build/ConfigAsCode.Build.csproj -c Release -o \"{Feed}\" -p:Version={Version} -nodeReuse:false");
        Assert.True(pack.Succeeded, "dotnet pack failed: " + pack);
        Package = Directory.GetFiles(Feed, "ConfigAsCode.*.nupkg").Single();
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

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
