using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace ConfigAsCode.EndToEnd;

/// <summary>Runs the dotnet CLI with a controlled environment and captures its output.</summary>
internal static class DotNet
{
    /// <summary>Variables that make a build count as CI; removed unless a test sets them on purpose.</summary>
    private static readonly string[] CiVariables =
    [
        "CI", "GITHUB_ACTIONS", "TF_BUILD", "GITLAB_CI", "JENKINS_URL", "TEAMCITY_VERSION", "BITBUCKET_BUILD_NUMBER",
        "BUILDKITE", "CIRCLECI", "TRAVIS", "APPVEYOR", "CODEBUILD_BUILD_ID", "DRONE", "BUILD_ID_GOOGLE_CLOUD_BUILD",
    ];

    public sealed record Result(int ExitCode, string Output)
    {
        public bool Succeeded => ExitCode == 0;

        public override string ToString() => $"exit {ExitCode}\n{Output}";
    }

    public static Result Run(string workingDirectory, string arguments, IReadOnlyDictionary<string, string>? environment = null, string? nugetPackages = null)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var variable in CiVariables)
        {
            start.Environment.Remove(variable);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        if (nugetPackages is not null)
        {
            start.Environment["NUGET_PACKAGES"] = nugetPackages;
        }

        foreach (var pair in environment ?? new Dictionary<string, string>())
        {
            start.Environment[pair.Key] = pair.Value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {arguments} did not finish in 10 minutes");
        }

        return new Result(process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>
    /// Held by every command that builds the repository's own projects (the pack, the sample, a README snippet that
    /// references the synthesis project): xUnit runs classes in parallel, and two builds of one project at once write
    /// the same bin/ and obj/ files.
    /// </summary>
    public static readonly object RepositoryBuilds = new();

    /// <summary>The repository root (the folder holding ConfigAsCode.sln).</summary>
    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ConfigAsCode.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("ConfigAsCode.sln not found");
        }
    }

    public static IEnumerable<string> ErrorCodes(string output) =>
        output.Split('\n').Select(l => System.Text.RegularExpressions.Regex.Match(l, @"error (CAC\d{4}):")).Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct();
}
