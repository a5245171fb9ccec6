package io.stratusmail.lmtp.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Watches the octets of a message as they arrive and tells whether its header section (RFC 5322 section 2.1:
 * everything before the first empty line) holds an 8-bit octet. Such a header is only legal in a transaction
 * whose MAIL carried {@code SMTPUTF8} (RFC 6531/6532 UTF-8 header fields) or, by the custom of legacy mail,
 * {@code BODY=8BITMIME} (RFC 6152); the session refuses it otherwise.
 *
 * <p>The empty line is CRLF CRLF, or a bare LF LF as lenient line endings keep it. Scanning stops at the end of
 * the header section, so the body costs nothing. Not thread-safe: one instance per message, fed in order.
 */
public final class HeaderSection {

    private boolean ended;
    private boolean eightBit;
    /** The octets since the last LF are at most a CR: an LF now ends an empty line. */
    private boolean atLineStart = true;

    /** Feeds {@code length} octets of {@code buf} from {@code index}, without moving its indexes. */
    public void update(ByteBuf buf, int index, int length) {
        for (int i = index; i < index + length && !ended && !eightBit; i++) {
            update(buf.getByte(i));
        }
    }

    /** Feeds one octet. */
    public void update(byte b) {
        if (ended || eightBit) {
            return;
        }
        if (b < 0) {
            eightBit = true;
            atLineStart = false;
        } else if (b == '\n') {
            if (atLineStart) {
                ended = true;
            }
            atLineStart = true;
        } else if (b != '\r') {
            atLineStart = false;
        }
    }

    /** Whether an octet of the header section seen so far is 8-bit (0x80 to 0xFF). */
    public boolean eightBit() {
        return eightBit;
    }
}
