namespace ConfigAsCode;

/// <summary>A key in a Kubernetes Secret (created by you or by External Secrets). Never a value.</summary>
public sealed record SecretReference
{
    private readonly string _name = string.Empty;
    private readonly string _key = string.Empty;

    /// <summary>References key <paramref name="key"/> of Secret <paramref name="name"/>.</summary>
    public SecretReference(string name, string key)
    {
        Name = name;
        Key = key;
    }

    /// <summary>The Secret's name (a DNS-1123 subdomain).</summary>
    public string Name
    {
        get => _name;
        init => _name = KubernetesName.EnsureSubdomain(value, nameof(Name));
    }

    /// <summary>The key within the Secret.</summary>
    public string Key
    {
        get => _key;
        init => _key = string.IsNullOrEmpty(value)
            ? throw new System.ArgumentException("A secret key must not be empty; name the key inside the Secret, for example 'token'.", nameof(Key))
            : value;
    }
}
