package io.stratusmail.mailbox.message;

/**
 * A STORE operation on flags (RFC 3501 section 6.4.6).
 *
 * @param mode  replace ({@code FLAGS}), add ({@code +FLAGS}) or remove ({@code -FLAGS})
 * @param flags the flags named by the command
 */
public record FlagUpdate(Mode mode, Flags flags) {

    public enum Mode { REPLACE, ADD, REMOVE }

    /** The flags a message ends up with when this update applies to {@code current}. */
    public Flags apply(Flags current) {
        return switch (mode) {
            case REPLACE -> flags;
            case ADD -> current.plus(flags);
            case REMOVE -> current.minus(flags);
        };
    }
}
