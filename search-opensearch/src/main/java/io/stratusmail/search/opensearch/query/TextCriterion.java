package io.stratusmail.search.opensearch.query;

import java.util.Objects;
import java.util.Optional;

/**
 * One RFC 3501 section 6.4.4 SEARCH key that matches a string: messages whose {@link Key} part contains
 * {@code value} as a case-insensitive substring.
 *
 * @param key       which part of the message
 * @param fieldName the header field name, for {@link Key#HEADER} only (RFC 5322 field-name: printable ASCII
 *                  except colon, at most {@value #MAX_FIELD_NAME} characters)
 * @param value     the string, at most {@value #MAX_VALUE} characters; empty matches every message that has
 *                  the part
 */
public record TextCriterion(Key key, Optional<String> fieldName, String value) {

    /** Longest accepted search string, in characters. */
    public static final int MAX_VALUE = 4_096;
    /** Longest accepted header field name, in characters. */
    public static final int MAX_FIELD_NAME = 255;

    /** The string-matching SEARCH keys. */
    public enum Key {
        /** {@code SUBJECT}: the Subject field. */
        SUBJECT,
        /** {@code FROM}: the From addresses, display names included. */
        FROM,
        /** {@code TO}. */
        TO,
        /** {@code CC}. */
        CC,
        /** {@code BCC}. */
        BCC,
        /** {@code HEADER field-name string}: the named top-level header field. */
        HEADER,
        /** {@code BODY}: the text of the body (text parts, decoded). */
        BODY,
        /** {@code TEXT}: the header or the body. */
        TEXT
    }

    public TextCriterion {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fieldName, "fieldName");
        Objects.requireNonNull(value, "value");
        if (value.length() > MAX_VALUE) {
            throw new IllegalArgumentException("search string longer than " + MAX_VALUE + " characters");
        }
        if (key == Key.HEADER) {
            String name = fieldName.orElseThrow(() -> new IllegalArgumentException("HEADER needs a field name"));
            if (name.isEmpty() || name.length() > MAX_FIELD_NAME || !name.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
                throw new IllegalArgumentException("invalid header field name");
            }
        } else if (fieldName.isPresent()) {
            throw new IllegalArgumentException("a field name is only for HEADER");
        }
    }

    /** {@code SUBJECT value}. */
    public static TextCriterion subject(String value) {
        return new TextCriterion(Key.SUBJECT, Optional.empty(), value);
    }

    /** {@code FROM value}. */
    public static TextCriterion from(String value) {
        return new TextCriterion(Key.FROM, Optional.empty(), value);
    }

    /** {@code TO value}. */
    public static TextCriterion to(String value) {
        return new TextCriterion(Key.TO, Optional.empty(), value);
    }

    /** {@code CC value}. */
    public static TextCriterion cc(String value) {
        return new TextCriterion(Key.CC, Optional.empty(), value);
    }

    /** {@code BCC value}. */
    public static TextCriterion bcc(String value) {
        return new TextCriterion(Key.BCC, Optional.empty(), value);
    }

    /** {@code HEADER fieldName value}. */
    public static TextCriterion header(String fieldName, String value) {
        return new TextCriterion(Key.HEADER, Optional.of(fieldName), value);
    }

    /** {@code BODY value}. */
    public static TextCriterion body(String value) {
        return new TextCriterion(Key.BODY, Optional.empty(), value);
    }

    /** {@code TEXT value}. */
    public static TextCriterion text(String value) {
        return new TextCriterion(Key.TEXT, Optional.empty(), value);
    }
}
