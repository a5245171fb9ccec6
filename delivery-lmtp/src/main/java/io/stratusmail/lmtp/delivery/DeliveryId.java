package io.stratusmail.lmtp.delivery;

import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Identifier of one mail transaction, shown in the {@code Received} field, the replies and the logs: 16
 * characters of Crockford base32, 48 bits of milliseconds since the epoch then 32 random bits, so ids
 * sort by time and two nodes practically never collide. Not a secret.
 */
public final class DeliveryId {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private DeliveryId() {
    }

    /** A new id for a transaction starting at {@code now}. */
    public static String next(Instant now) {
        long time = now.toEpochMilli() & 0xFFFF_FFFF_FFFFL;
        long random = ThreadLocalRandom.current().nextInt() & 0xFFFF_FFFFL;
        char[] out = new char[16];
        // 80 bits: the top 48 from the time, the low 32 random, 5 bits per character
        for (int i = 15; i >= 0; i--) {
            int bit = (15 - i) * 5;
            long v;
            if (bit + 5 <= 32) {
                v = random >>> bit;
            } else if (bit >= 32) {
                v = time >>> (bit - 32);
            } else {
                v = (random >>> bit) | (time << (32 - bit));
            }
            out[i] = ALPHABET[(int) (v & 31)];
        }
        return new String(out);
    }
}
