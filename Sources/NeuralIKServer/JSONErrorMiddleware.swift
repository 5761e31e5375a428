import Hummingbird

/// Every error the routes throw, and every unknown path, as the API's one error shape:
/// `{"error": "…"}` with its status. Hummingbird's own `HTTPError` (a file not found, a method not
/// allowed) would otherwise answer in a shape of its own.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
    async throws -> Response
  {
    do {
      return try await next(request, context)
    } catch let error as APIError {
      return JSONResponse.error(error)
    } catch let error as HTTPError {
      let message =
        error.body ?? "\(error.status.reasonPhrase.lowercased()): \(request.method) \(request.uri.path)"
      return JSONResponse.error(APIError(message, status: error.status.code))
    } catch {
      // Only the server's own faults are a 5xx; the message names no internals.
      return JSONResponse.error(APIError("the server failed to answer this request", status: 500))
    }
  }
}
