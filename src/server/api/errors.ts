// API errors are `{"message": "…"}` with the HTTP status (research/drone-server.md §5.1).

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const unauthorized = (): ApiError => new ApiError(401, 'Unauthorized');
export const forbidden = (): ApiError => new ApiError(403, 'Forbidden');
export const notFound = (message = 'Not Found'): ApiError => new ApiError(404, message);
export const badRequest = (message: string): ApiError => new ApiError(400, message);
export const conflict = (message: string): ApiError => new ApiError(409, message);
