package io.stratusmail.search.opensearch.text;

import java.text.Normalizer;

/**
 * The one normal form of searchable text, applied alike to what is indexed and to the string of a SEARCH key,
 * so that RFC 3501 section 6.4.4 substring matching ("case-insensitive ... substring") does not depend on
 * how a sender's agent folded lines or composed accents.
 *
 * <p>The form: Unicode NFC; every run of whitespace or control characters (CR, LF, TAB, NUL, NBSP, ...)
 * becomes one space; no leading or trailing space. Case is left alone: the index folds case (a lowercase
 * normalizer) on both the indexed text and the query pattern, so both sides use the same folding.
 */
public final class SearchText {

    private SearchText() {
    }

    /**
     * Normalises text for the index or for a query.
     *
     * @param text any text, possibly empty
     * @return the normal form (possibly empty), never longer than {@code text}
     */
    public static String normalize(CharSequence text) {
        String composed = Normalizer.normalize(text, Normalizer.Form.NFC);
        StringBuilder out = new StringBuilder(composed.length());
        boolean pendingSpace = false;
        for (int i = 0; i < composed.length(); i++) {
            char c = composed.charAt(i);
            if (isSeparator(c)) {
                pendingSpace = out.length() > 0;
            } else {
                if (pendingSpace) {
                    out.append(' ');
                    pendingSpace = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Cuts text to at most {@code maxChars} chars without splitting a surrogate pair.
     *
     * @param text     the text
     * @param maxChars the limit, at least 1
     */
    public static String truncate(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        int end = maxChars;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    private static boolean isSeparator(char c) {
        return c < 0x20 || c == 0x7f || Character.isWhitespace(c) || Character.isSpaceChar(c);
    }
}
