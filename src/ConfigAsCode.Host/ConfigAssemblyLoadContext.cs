using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace ConfigAsCode.Host;

/// <summary>
/// Loads the user's config assembly and its dependencies in isolation. The model assembly (ConfigAsCode) is
/// shared with the host so that the user's platforms are the host's <c>InferencePlatform</c> type.
/// </summary>
internal sealed class ConfigAssemblyLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver _resolver;
    private readonly string _directory;

    public ConfigAssemblyLoadContext(string assemblyPath)
        : base("ConfigAsCode.UserConfig", isCollectible: false)
    {
        _resolver = new AssemblyDependencyResolver(assemblyPath);
        _directory = Path.GetDirectoryName(assemblyPath)!;
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (string.Equals(assemblyName.Name, typeof(InferencePlatform).Assembly.GetName().Name, System.StringComparison.Ordinal))
        {
            return null;
        }

        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        if (path is null)
        {
            var local = Path.Combine(_directory, assemblyName.Name + ".dll");
            path = File.Exists(local) ? local : null;
        }

        return path is null ? null : LoadFromAssemblyPath(path);
    }
}
