package io.stratusmail.imap.protocol;

/**
 * The announcement of a literal at the end of a command line: {@code {n}} (synchronizing, RFC 3501
 * section 4.3) or {@code {n+}} (non-synchronizing, RFC 7888 LITERAL+).
 *
 * @param start           index of the {@code {} in the line
 * @param size            the announced number of octets, 0 to 9,999,999,999 (10 digits at most)
 * @param synchronizing   whether the client waits for a {@code +} continuation before sending the octets
 */
public record LiteralMarker(int start, long size, boolean synchronizing) {

    private static final int MAX_DIGITS = 10;

    /** The marker that ends {@code line} (CRLF already removed), or null when the line ends otherwise. */
    public static LiteralMarker find(byte[] line) {
        return find(line, line.length);
    }

    /** As {@link #find(byte[])} for the first {@code length} octets of {@code line}. */
    public static LiteralMarker find(byte[] line, int length) {
        int i = length - 1;
        if (i < 0 || line[i] != '}') {
            return null;
        }
        i--;
        boolean synchronizing = true;
        if (i >= 0 && line[i] == '+') {
            synchronizing = false;
            i--;
        }
        int digitsEnd = i + 1;
        while (i >= 0 && line[i] >= '0' && line[i] <= '9') {
            i--;
        }
        int digits = digitsEnd - (i + 1);
        if (digits == 0 || digits > MAX_DIGITS || i < 0 || line[i] != '{') {
            return null;
        }
        long size = 0;
        for (int k = i + 1; k < digitsEnd; k++) {
            size = size * 10 + (line[k] - '0');
        }
        return new LiteralMarker(i, size, synchronizing);
    }
}
