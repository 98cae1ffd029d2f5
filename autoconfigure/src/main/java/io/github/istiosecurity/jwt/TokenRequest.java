package io.github.istiosecurity.jwt;
import java.util.List;
import org.jspecify.annotations.Nullable;
public interface TokenRequest {
	String method();
	List<String> headerValues(String lowerCaseName);
	@Nullable String queryParameter(String name);
	@Nullable String cookie(String name);
}
