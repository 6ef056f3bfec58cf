package dev.proxylitellm.config;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 address range such as {@code 10.0.0.0/8}; a bare address is a range of one. */
public final class Cidr
{
    private final int length;
    private final int shift;
    private final BigInteger prefix;

    private Cidr(byte[] network, int bits)
    {
        this.length = network.length;
        this.shift = network.length * 8 - bits;
        this.prefix = new BigInteger(1, network).shiftRight(shift);
    }

    /** Parses an IP literal with an optional {@code /bits}; never resolves a name. */
    public static Cidr parse(String text)
    {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        if (!isIpLiteral(address))
            throw new IllegalArgumentException("not an IP address");
        try
        {
            byte[] network = InetAddress.getByName(address).getAddress();
            int bits = slash < 0 ? network.length * 8 : Integer.parseInt(trimmed.substring(slash + 1));
            if (bits < 0 || bits > network.length * 8)
                throw new IllegalArgumentException("prefix length out of range");
            return new Cidr(network, bits);
        }
        catch (UnknownHostException | NumberFormatException x)
        {
            throw new IllegalArgumentException("not a CIDR", x);
        }
    }

    /** Whether {@code address}, an IP literal, lies in this range. */
    public boolean contains(String address)
    {
        if (!isIpLiteral(address))
            return false;
        try
        {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            return bytes.length == length && new BigInteger(1, bytes).shiftRight(shift).equals(prefix);
        }
        catch (UnknownHostException x)
        {
            return false;
        }
    }

    static boolean isIpLiteral(String host)
    {
        return !host.isEmpty() && (host.contains(":") || host.chars().allMatch(c -> c == '.' || Character.isDigit(c)));
    }
}
