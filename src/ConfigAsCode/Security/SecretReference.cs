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

    /// <summary>The key within the Secret: 1-253 letters, digits, '-', '_' or '.' (what the API server accepts in a <c>secretKeyRef</c>).</summary>
    public string Key
    {
        get => _key;
        init => _key = string.IsNullOrEmpty(value)
            ? throw new System.ArgumentException("A secret key must not be empty; name the key inside the Secret, for example 'token'.", nameof(Key))
            : !KubernetesName.IsSecretKey(value)
            ? throw new System.ArgumentException($"A secret key {Why(value)}, so the Kubernetes API server refuses the secretKeyRef: use 1-{KubernetesName.MaxSubdomainLength} letters, digits, '-', '_' or '.' (a key of '.' alone, or one starting with '..', is refused too), for example 'token' or 'hf_token'.", nameof(Key))
            : value;
    }

    // What is wrong with a key, without echoing it: a careless key may be the secret itself.
    private static string Why(string key)
    {
        if (key.Length > KubernetesName.MaxSubdomainLength)
        {
            return $"has {key.Length} characters (at most {KubernetesName.MaxSubdomainLength})";
        }

        if (key == "." || key.StartsWith("..", System.StringComparison.Ordinal))
        {
            return key == "." ? "is '.'" : "starts with '..'";
        }

        foreach (var c in key)
        {
            if (!(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '.'))
            {
                return c is >= ' ' and < (char)0x7F ? $"contains '{c}'" : $"contains U+{(int)c:X4}";
            }
        }

        return "is not valid";
    }
}
