package io.stratusmail.server.cli;

import io.stratusmail.mailbox.quota.QuotaLimit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Quota values as an operator types them: sizes such as {@code 500M}, {@code 2G}, {@code 1048576} (suffixes K, M,
 * G, T are powers of 1024, optionally followed by {@code B} or {@code iB}), message counts, and the words
 * {@code unlimited} and {@code default} (back to the node default). Bad input is an {@link
 * IllegalArgumentException} with a message that names the accepted forms.
 */
final class QuotaArguments {

    private static final Pattern SIZE = Pattern.compile("([0-9]{1,19})\\s*([KMGT]?)(I?B)?");

    private QuotaArguments() {
    }

    /** A STORAGE limit in octets. */
    static QuotaLimit storage(String text) {
        return parse(text, QuotaArguments::octets);
    }

    /** A MESSAGE limit. */
    static QuotaLimit messages(String text) {
        return parse(text, t -> {
            if (!t.matches("[0-9]{1,18}")) {
                throw new IllegalArgumentException("invalid message count '" + t
                        + "': expected a number of messages, 'unlimited' or 'default'");
            }
            return Long.parseLong(t);
        });
    }

    /** Octets of a size like {@code 500M}; at most 2^63-1. */
    static long octets(String text) {
        Matcher m = SIZE.matcher(text.trim().toUpperCase(Locale.ROOT));
        if (!m.matches() || m.group(3) != null && m.group(2).isEmpty() && m.group(3).equals("IB")) {
            throw new IllegalArgumentException("invalid size '" + text
                    + "': expected octets or a number with K, M, G or T (e.g. 500M, 2G), 'unlimited' or 'default'");
        }
        int shift = switch (m.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        try {
            long number = Long.parseLong(m.group(1));
            if (number > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return number << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size '" + text + "' is too large");
        }
    }

    /** How a limit is shown: {@code 500M (524288000 octets)}, {@code unlimited}, {@code node default}. */
    static String describeStorage(QuotaLimit limit) {
        return switch (limit.kind()) {
            case DEFAULT -> "node default";
            case UNLIMITED -> "unlimited";
            case LIMITED -> human(limit.max()) + " (" + limit.max() + " octets)";
        };
    }

    static String describeMessages(QuotaLimit limit) {
        return switch (limit.kind()) {
            case DEFAULT -> "node default";
            case UNLIMITED -> "unlimited";
            case LIMITED -> Long.toString(limit.max());
        };
    }

    /** The largest exact unit: 524288000 is {@code 500M}, 1000 stays {@code 1000}. */
    static String human(long octets) {
        String[] units = {"T", "G", "M", "K"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << shifts[i];
            if (octets >= unit && octets % unit == 0) {
                return (octets >> shifts[i]) + units[i];
            }
        }
        return Long.toString(octets);
    }

    private static QuotaLimit parse(String text, java.util.function.ToLongFunction<String> number) {
        String t = text.trim();
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "unlimited" -> QuotaLimit.UNLIMITED;
            case "default" -> QuotaLimit.DEFAULT;
            default -> QuotaLimit.of(number.applyAsLong(t));
        };
    }
}
