package io.github.istiosecurity.model;

/**
 * The three {@code security.istio.io} kinds this project understands.
 */
public enum PolicyKind {

	AUTHORIZATION_POLICY("AuthorizationPolicy"),

	REQUEST_AUTHENTICATION("RequestAuthentication"),

	PEER_AUTHENTICATION("PeerAuthentication");

	/** The API group of all three kinds. */
	public static final String GROUP = "security.istio.io";

	private final String kindName;

	PolicyKind(String kindName) {
		this.kindName = kindName;
	}

	/**
	 * Returns the {@code kind} as written in YAML, e.g. {@code AuthorizationPolicy}.
	 * @return the kind name
	 */
	public String kindName() {
		return this.kindName;
	}

	/**
	 * Returns the kind with the given (case-sensitive) name.
	 * @param kindName the {@code kind} value
	 * @return the kind, or {@code null} when it is none of the three
	 */
	public static @org.jspecify.annotations.Nullable PolicyKind fromKindName(String kindName) {
		for (PolicyKind kind : values()) {
			if (kind.kindName.equals(kindName)) {
				return kind;
			}
		}
		return null;
	}

}
