package io.stratusmail.mailbox.message;

import java.time.Instant;
import java.util.Objects;

/**
 * One message of {@link MessageStore#appendAll}: what {@link MessageStore#append} takes, as a value.
 *
 * @param content      the message octets exactly as RFC822.SIZE and BODY[] will return them (not copied: the
 *                     caller must not change the array until the append completes)
 * @param flags        initial flags
 * @param internalDate INTERNALDATE
 */
public record MessageToAppend(byte[] content, Flags flags, Instant internalDate) {

    public MessageToAppend {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(internalDate, "internalDate");
    }
}
