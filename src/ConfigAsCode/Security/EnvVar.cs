using System;

namespace ConfigAsCode;

/// <summary>
/// An environment variable: a literal or a secret reference. Secrets are never values: a literal that looks
/// like a token, or a literal in a sensitive name, is CAC2001.
/// </summary>
public sealed record EnvVar
{
    private readonly string _name = string.Empty;

    private EnvVar(string name, string? value, SecretReference? secret)
    {
        Name = name;
        Value = value;
        Secret = secret;
    }

    /// <summary>The variable name.</summary>
    public string Name
    {
        get => _name;
        init => _name = string.IsNullOrEmpty(value)
            ? throw new ArgumentException("An environment variable needs a name.", nameof(Name))
            : value;
    }

    /// <summary>The literal value; null for a secret reference.</summary>
    public string? Value { get; init; }

    /// <summary>The secret reference; null for a literal.</summary>
    public SecretReference? Secret { get; init; }

    /// <summary>A plain value. Never use it for credentials.</summary>
    public static EnvVar Literal(string name, string value) => new(name, value ?? string.Empty, null);

    /// <summary>A value read from key <paramref name="key"/> of Secret <paramref name="secretName"/>.</summary>
    public static EnvVar FromSecret(string name, string secretName, string key) => new(name, null, new SecretReference(secretName, key));

    /// <summary>A value read from <paramref name="secret"/>.</summary>
    public static EnvVar FromSecret(string name, SecretReference secret) =>
        new(name, null, secret ?? throw new ArgumentNullException(nameof(secret)));
}
