/** Who a request comes from, as the REST API's Cognito authorizer presents a verified ID token. */
export interface TestIdentity {
  sub: string;
  /** `cognito:groups` as API Gateway passes it: `admins`, or `a,b`. */
  groups?: string;
}

/** The Cognito user the API tests call as unless they say otherwise (the owner of what they upload). */
export const TEST_USER: TestIdentity = { sub: '5d0a1f3e-6c1b-4b7e-9a55-0c7f1e2d3a4b' };
/** Another user, for what one user must not see of another's images. */
export const OTHER_USER: TestIdentity = { sub: '9b2c7e10-3f4d-4a8b-b6e1-7d5c4b3a2f10' };
/** A member of the `admins` group. */
export const ADMIN_USER: TestIdentity = { sub: 'c3e1a2b4-8d7f-4e6a-9b0c-1a2b3c4d5e6f', groups: 'admins' };
