package io.github.istiosecurity.internal.web.servlet;

import java.io.IOException;
import java.lang.reflect.Field;
import java.util.List;
import java.util.function.Supplier;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.authorization.AuthorizationEventPublisher;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.ExceptionTranslationFilter;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.context.request.async.SecurityContextCallableProcessingInterceptor;
import org.springframework.security.web.context.request.async.WebAsyncManagerIntegrationFilter;
import org.springframework.security.web.servletapi.SecurityContextHolderAwareRequestFilter;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.context.request.async.WebAsyncManager;
import org.springframework.web.context.request.async.WebAsyncUtils;

/**
 * The work of five filters of the chain the starter owns in one: Spring Security's
 * {@code VirtualFilterChain} would pass each request through them one by one, each with
 * its own once-per-request bookkeeping in request attributes, for what is a fixed
 * sequence here. In order: the security context for {@code Callable} handlers (as
 * {@link WebAsyncManagerIntegrationFilter}), steps 1 to 3
 * ({@link IstioEnforcementFilter}, on the request's own dispatch only), then the built
 * chain's own {@link SecurityContextHolderAwareRequestFilter} ({@code Principal},
 * {@code isUserInRole}) and {@link ExceptionTranslationFilter} (method security's
 * denials), around the built chain's authorization manager with its events (as
 * {@link AuthorizationFilter}, on every dispatch). {@link SecurityContextHolderFilter}
 * stays a filter of its own before this one, where Spring Security's test support finds
 * it.
 */
public final class OwnedChainFilter implements Filter {

	private static final Object CALLABLE_INTERCEPTOR_KEY = OwnedChainFilter.class;

	private static final List<Class<?>> BUILT = List.of(WebAsyncManagerIntegrationFilter.class,
			SecurityContextHolderFilter.class, IstioEnforcementFilter.class,
			SecurityContextHolderAwareRequestFilter.class, ExceptionTranslationFilter.class, AuthorizationFilter.class);

	private final IstioEnforcementFilter enforcement;

	private final SecurityContextHolderAwareRequestFilter servletApi;

	private final ExceptionTranslationFilter exceptions;

	private final AuthorizationManager<HttpServletRequest> authorization;

	private final AuthorizationEventPublisher events;

	private final SecurityContextHolderStrategy contextHolder = SecurityContextHolder.getContextHolderStrategy();

	private final Supplier<Authentication> authentication = this::authentication;

	private OwnedChainFilter(IstioEnforcementFilter enforcement, SecurityContextHolderAwareRequestFilter servletApi,
			ExceptionTranslationFilter exceptions, AuthorizationManager<HttpServletRequest> authorization,
			AuthorizationEventPublisher events) {
		this.enforcement = enforcement;
		this.servletApi = servletApi;
		this.exceptions = exceptions;
		this.authorization = authorization;
		this.events = events;
	}

	/**
	 * The chain the starter built, with its filters after the security context holder
	 * fused into one {@link OwnedChainFilter}, when the built chain holds exactly the
	 * filters the starter configured, in their order, for every request; otherwise
	 * {@code null} (an application's {@code Customizer<HttpSecurity>} bean added or
	 * removed a filter, or a Spring Security release builds another chain): the built
	 * chain then serves as it is, as it does when its {@link AuthorizationFilter} does
	 * not authorize every dispatch (observed once per request, or error or async
	 * dispatches skipped). The filters fused are the built instances, so what configured
	 * them (entry point, denial handler, authorization rules, role prefix) still holds.
	 * @param built the chain {@code HttpSecurity} built
	 * @param events where authorization events go, as Spring Security's
	 * {@code authorizeHttpRequests} publishes them
	 * @return the fused chain, or {@code null}
	 */
	public static @Nullable SecurityFilterChain fuse(DefaultSecurityFilterChain built,
			AuthorizationEventPublisher events) {
		List<Filter> filters = built.getFilters();
		if (!(built.getRequestMatcher() instanceof AnyRequestMatcher) || filters.size() != BUILT.size()) {
			return null;
		}
		for (int i = 0; i < filters.size(); i++) {
			if (filters.get(i).getClass() != BUILT.get(i)) {
				return null;
			}
		}
		AuthorizationFilter authorize = (AuthorizationFilter) filters.get(5);
		if (authorize.isObserveOncePerRequest() || !authorizesEveryDispatch(authorize)) {
			return null;
		}
		OwnedChainFilter fused = new OwnedChainFilter((IstioEnforcementFilter) filters.get(2),
				(SecurityContextHolderAwareRequestFilter) filters.get(3), (ExceptionTranslationFilter) filters.get(4),
				authorize.getAuthorizationManager(), events);
		return new DefaultSecurityFilterChain(built.getRequestMatcher(), filters.get(1), fused);
	}

	/**
	 * Whether the filter authorizes error and async dispatches too, as the fused chain
	 * does: its defaults, which an application's object post-processor may have changed.
	 * {@link AuthorizationFilter} has setters for them but no getters, so they are read
	 * from its fields, once, at start-up; a release without those fields is not fused.
	 */
	private static boolean authorizesEveryDispatch(AuthorizationFilter filter) {
		return isTrue(filter, "filterErrorDispatch") && isTrue(filter, "filterAsyncDispatch");
	}

	/** A boolean field's value; {@code false} when it is missing or unreadable. */
	private static boolean isTrue(Object target, String name) {
		Field field = ReflectionUtils.findField(target.getClass(), name, boolean.class);
		if (field == null) {
			return false;
		}
		try {
			ReflectionUtils.makeAccessible(field);
			return field.getBoolean(target);
		}
		catch (IllegalAccessException | RuntimeException ex) {
			return false;
		}
	}

	@Override
	public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
			throws IOException, ServletException {
		HttpServletRequest request = (HttpServletRequest) servletRequest;
		HttpServletResponse response = (HttpServletResponse) servletResponse;
		// steps 1 to 3 once, on the client's request; an error, async, forward or
		// include dispatch of it is authorized again on the view that request left
		if (request.getDispatcherType() == DispatcherType.REQUEST && ServletRequestView.of(request) == null) {
			keepContextForCallables(request);
			HttpServletRequest forwarded = this.enforcement.enforce(request, response);
			if (forwarded == null) {
				return;
			}
			request = forwarded;
		}
		this.servletApi.doFilter(request, response, (wrapped, sameResponse) -> this.exceptions.doFilter(wrapped,
				sameResponse, (translated, out) -> authorize((HttpServletRequest) translated, out, chain)));
	}

	private void keepContextForCallables(HttpServletRequest request) {
		WebAsyncManager async = WebAsyncUtils.getAsyncManager(request);
		if (async.getCallableInterceptor(CALLABLE_INTERCEPTOR_KEY) == null) {
			SecurityContextCallableProcessingInterceptor interceptor = new SecurityContextCallableProcessingInterceptor();
			interceptor.setSecurityContextHolderStrategy(this.contextHolder);
			async.registerCallableInterceptor(CALLABLE_INTERCEPTOR_KEY, interceptor);
		}
	}

	/** As {@link AuthorizationFilter} does on every dispatch. */
	private void authorize(HttpServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		AuthorizationResult result = this.authorization.authorize(this.authentication, request);
		this.events.publishAuthorizationEvent(this.authentication, request, result);
		if (result != null && !result.isGranted()) {
			throw new AuthorizationDeniedException("Access Denied", result);
		}
		chain.doFilter(request, response);
	}

	private Authentication authentication() {
		Authentication current = this.contextHolder.getContext().getAuthentication();
		if (current == null) {
			throw new AuthenticationCredentialsNotFoundException(
					"An Authentication object was not found in the SecurityContext");
		}
		return current;
	}

}
