using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ConfigAsCode.Synthesis.Network;

/// <summary>CIDR ranges as a NetworkPolicy's <c>ipBlock</c> takes them: canonical (no host bits), IPv4 or IPv6.</summary>
public static class Cidr
{
    /// <summary>Reads <paramref name="text"/>; <paramref name="problem"/> says what is wrong and gives the canonical form when host bits are set.</summary>
    public static bool TryParse(string? text, out IPNetwork network, out string? problem)
    {
        network = default;
        problem = null;
        var value = (text ?? string.Empty).Trim();
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !IPAddress.TryParse(value.Substring(0, slash), out var address)
            || !int.TryParse(value.Substring(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            || prefix > (address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)
            || (address.AddressFamily == AddressFamily.InterNetwork && value.Substring(0, slash).Split('.').Length != 4))
        {
            problem = $"'{text}' is not a CIDR range such as 10.40.0.0/16";
            return false;
        }

        // Kubernetes versions differ on host bits past the prefix; the canonical form is read the same by all of them.
        var canonical = Canonical(address, prefix);
        if (!string.Equals(canonical, address + "/" + prefix.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal) || !IPNetwork.TryParse(canonical, out network))
        {
            problem = $"'{text}' has bits set past its /{prefix.ToString(CultureInfo.InvariantCulture)} prefix; the range is {canonical}. Write that";
            return false;
        }

        return true;
    }

    /// <summary>The range as text (<c>10.40.0.0/16</c>).</summary>
    public static string Format(IPNetwork network) => network.ToString();

    /// <summary>True for a range that covers the whole IPv4 or IPv6 internet (a /0) or an eighth of it or more.</summary>
    public static bool IsOpenToInternet(IPNetwork network) => network.PrefixLength < 8 && network.BaseAddress.AddressFamily == AddressFamily.InterNetwork
        || network.PrefixLength < 16 && network.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6;

    private static string Canonical(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes) + "/" + prefix.ToString(CultureInfo.InvariantCulture);
    }
}
