package io.github.istiosecurity.internal.web;

/**
 * A request that Spring Security's firewall rejected (an application's own chain keeps
 * the firewall's path and method checks): answered 400 with the firewall's reason, never
 * dressed as a policy denial, and logged at INFO like every other refusal. The firewall
 * quotes offending values in its messages; quoted text longer than a few characters (a
 * header value may be a token) is left out of the reply and the log.
 */
public final class FirewallRejection {

	private static final int MAX_QUOTED = 16;

	private FirewallRejection() {
	}

	/**
	 * Logs and counts the rejection and returns the reply.
	 * @param pipeline the pipeline whose refusals are logged and counted
	 * @param method the method
	 * @param rawPath the path as received
	 * @param message the firewall's message
	 * @return the reply
	 */
	public static LocalReply reply(InboundPipeline pipeline, String method, String rawPath, String message) {
		return pipeline.refuse(method, rawPath,
				LocalReply.badRequest("rejected by Spring Security's firewall: " + redact(message)));
	}

	static String redact(String message) {
		StringBuilder redacted = new StringBuilder(message.length());
		int i = 0;
		while (i < message.length()) {
			char c = message.charAt(i);
			int close = (c == '"') ? message.indexOf('"', i + 1) : -1;
			if (close > i && close - i - 1 > MAX_QUOTED) {
				redacted.append("\"...\"");
				i = close + 1;
			}
			else {
				redacted.append((c < 0x20 || c >= 0x7F) ? '?' : c);
				i++;
			}
		}
		return redacted.toString();
	}

}
