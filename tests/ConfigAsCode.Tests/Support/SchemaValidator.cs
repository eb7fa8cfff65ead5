using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;

namespace ConfigAsCode.Tests.Support;

/// <summary>
/// Runs the real Kubernetes schema validator (the npm package kubernetes-models with the Argo Rollouts,
/// prometheus-operator, Gateway API and KEDA models, and the vendored LeaderWorkerSet and InferencePool CRD schemas
/// through ajv; offline, under Node) over rendered objects. The first use installs it from the committed lock file with <c>npm ci</c>, so a clean
/// machine needs nothing but Node and the npm registry.
/// </summary>
internal static class SchemaValidator
{
    private static readonly Lazy<string> Directory_ = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    public sealed record Result(string Path, bool Ok, string? Error);

    public static IReadOnlyList<Result> Validate(IEnumerable<(string Path, JsonNode Object)> objects)
    {
        var directory = Directory_.Value;
        var input = new JsonArray(objects.Select(o => (JsonNode)new JsonObject { ["path"] = o.Path, ["object"] = o.Object.DeepClone() }).ToArray());
        var (exit, output, error) = Run("node", "validate.mjs", directory, input.ToJsonString());
        if (exit != 0)
        {
            throw new InvalidOperationException($"the schema validator failed ({exit}): {error}");
        }

        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonNode.Parse(line)!)
            .Select(n => new Result((string)n["path"]!, (bool)n["ok"]!, (string?)n["error"]))
            .ToArray();
    }

    private static string Install()
    {
        var directory = Path.Combine(Fixtures.RepositoryRoot, "tests", "schema-validator");
        if (!Installed(directory))
        {
            // A lock file so parallel test processes do not run npm ci over each other.
            using var gate = AcquireLock(Path.Combine(directory, ".install.lock"));
            if (!Installed(directory))
            {
                var (exit, output, error) = Run("npm", "ci --no-audit --no-fund --loglevel=error", directory, null);
                if (exit != 0)
                {
                    throw new InvalidOperationException($"npm ci in {directory} failed ({exit}): {output}{error}");
                }
            }
        }

        return directory;
    }

    /// <summary>True when every dependency package.json names is in node_modules (a dependency added later reinstalls).</summary>
    private static bool Installed(string directory)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "package.json")));
        return manifest.RootElement.GetProperty("dependencies").EnumerateObject()
            .All(dependency => File.Exists(Path.Combine([directory, "node_modules", .. dependency.Name.Split('/'), "package.json"])));
    }

    private static FileStream AcquireLock(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (attempt < 600)
            {
                Thread.Sleep(500);
            }
        }
    }

    private static (int Exit, string Output, string Error) Run(string file, string arguments, string directory, string? input)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.Write(input);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {arguments} did not finish in 10 minutes");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
