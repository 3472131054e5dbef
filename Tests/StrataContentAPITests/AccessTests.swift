import Foundation
import StrataAccess
import StrataCore
import StrataServer
import StrataUsersPermissions
import StrataTesting
import Testing

/// Users & Permissions and API tokens over REST, with access control enforced.
@Suite("REST: users, permissions and API tokens")
struct AccessTests {
    static var project: TestProject {
        var project = Blog.project
        project.enforceAccess = true
        project.config = ["plugins": ["users-permissions": ["config": ["jwtSecret": "short-secret-like-strapi", "ratelimit": ["max": 1000]]]]]
        return project
    }

    static func bearer(_ token: String) -> String { "Bearer \(token)" }

    @Test func startUpRemovesPermissionsForActionsThatNoLongerExist() async throws {
        try await TestStrata.run(Self.project) { strata, _ in
            let permissions = strata.app.usersPermissions.permissions
            try await permissions.grant(roleType: "public", action: "api::article.article.find")
            // As an imported archive or a removed content type leaves behind.
            for index in 0..<50 {
                try await permissions.grant(roleType: "public", action: "api::gone.gone.action\(index)")
            }
            try await permissions.bootstrap(knownActions: strata.app.knownActions)
            let role = try #require(try await permissions.role(type: "public"))
            let actions = try await permissions.actions(roleID: role.id)
            #expect(actions.contains("api::article.article.find"))
            #expect(!actions.contains { $0.hasPrefix("api::gone.") })
            #expect(try await strata.rowCount("up_permissions_role_lnk") == strata.rowCount("up_permissions"))
        }
    }

    @Test("permission checks answered from the caches agree with reading the permissions, for every kind of caller")
    func cachedPermissionChecks() async throws {
        try await TestStrata.run(Self.project) { strata, _ in
            let app = strata.app
            let authorizer = ContentAPIAuthorizer(permissions: app.usersPermissions.permissions, tokens: app.tokens)
            try await strata.grant("public", "api::article.article.find")
            try await strata.grant("authenticated", "api::article.article.findOne")
            let authenticated = try #require(try await app.usersPermissions.permissions.role(type: "authenticated"))
            let custom = try await app.tokens.create(name: "custom", type: .custom, permissions: ["api::article.article.find"], knownActions: app.knownActions)
            let customID = try #require(custom.token["id"]?.intValue)
            let identities: [Identity?] = [
                nil, .unrestricted, .publicRole, .user(id: 1, roleID: authenticated.id),
                .apiToken(id: customID, type: .custom), .apiToken(id: 99, type: .fullAccess), .apiToken(id: 98, type: .readOnly),
            ]
            let actions = ["api::article.article.find", "api::article.article.findOne", "api::article.article.create"]
            for identity in identities {
                for action in actions {
                    app.usersPermissions.permissions.invalidate()
                    let read = try await authorizer.permits(identity, action: action)
                    // Everything that was read is now cached, and gives the same answer.
                    #expect(authorizer.cachedPermits(identity, action: action) == read, "\(String(describing: identity)) \(action)")
                    #expect(try await authorizer.permits(identity, action: action) == read)
                }
            }
            #expect(try await authorizer.permits(.publicRole, action: "api::article.article.find"))
            #expect(try await !authorizer.permits(.publicRole, action: "api::article.article.findOne"))
            #expect(try await authorizer.permits(.apiToken(id: customID, type: .custom), action: "api::article.article.find"))
            #expect(try await !authorizer.permits(.apiToken(id: 98, type: .readOnly), action: "api::article.article.create"))
            // A change is seen once the caches are invalidated, as grants do.
            try await strata.grant("public", "api::article.article.findOne")
            #expect(authorizer.cachedPermits(.publicRole, action: "api::article.article.findOne") == nil)
            #expect(try await authorizer.permits(.publicRole, action: "api::article.article.findOne"))
            #expect(try await authorizer.publicRoleIsActive())
        }
    }

    /// Registers a user and returns `(jwt, user)`.
    static func register(_ client: StrataClient, _ name: String = "ada") async throws -> (String, JSONValue) {
        let response = try await client.post("/api/auth/local/register", json: ["username": .string(name), "email": .string("\(name)@Example.com"), "password": "s3cret-pass"])
        #expect(response.status == 200, "\(response.text)")
        return (response.json?["jwt"]?.stringValue ?? "", response.json?["user"] ?? .null)
    }

    @Test("the Content API is closed by default and opens per action")
    func defaultDeny() async throws {
        try await TestStrata.run(Self.project) { strata, client in
            let denied = try await client.get("/api/articles")
            #expect(denied.status == 403)
            #expect(denied.text == #"{"data":null,"error":{"status":403,"name":"ForbiddenError","message":"Forbidden","details":{}}}"#)
            try await strata.grant("public", "api::article.article.find")
            #expect(try await client.get("/api/articles").status == 200)
            #expect(try await client.get("/api/articles/abc").status == 403, "findOne is a separate action")
            #expect(try await client.post("/api/articles", json: ["data": ["title": "x"]]).status == 403)
            #expect(try await client.get("/api/nothing").status == 404, "unknown routes stay 404")
        }
    }

    @Test("register, log in, and use the JWT (the seed's /api/auth/local then /api/users/me)")
    func jwtFlow() async throws {
        try await TestStrata.run(Self.project) { strata, client in
            let (jwt, user) = try await Self.register(client)
            #expect(user["email"] == "ada@example.com", "emails are stored lower-cased")
            #expect(user["password"] == nil && user["confirmationToken"] == nil && user["resetPasswordToken"] == nil)
            #expect(user["confirmed"] == true && user["blocked"] == false && user["provider"] == "local")
            #expect(jwt.split(separator: ".").count == 3)

            let login = try await client.post("/api/auth/local", json: ["identifier": "ada@example.com", "password": "s3cret-pass"])
            #expect(login.status == 200)
            let token = try #require(login.json?["jwt"]?.stringValue)
            let byUsername = try await client.post("/api/auth/local", json: ["identifier": "ada", "password": "s3cret-pass"])
            #expect(byUsername.status == 200)

            let me = try await client.get("/api/users/me", authorization: (Self.bearer(token)))
            #expect(me.status == 200)
            #expect(me.json?["username"] == "ada")
            #expect(me.json?["password"] == nil)
            #expect(try await client.get("/api/users/me").status == 403, "the Public role has no user.me")
            let forged = try await client.get("/api/users/me", authorization: (Self.bearer(token + "x")))
            #expect(forged.status == 401)
            #expect(forged.error?["message"] == "Invalid credentials")

            // Authenticated users get their role's permissions.
            #expect(try await client.post("/api/authors", json: ["data": ["name": "x"]], authorization: (Self.bearer(token))).status == 403)
            try await strata.grant("authenticated", "api::author.author.create")
            #expect(try await client.post("/api/authors", json: ["data": ["name": "x"]], authorization: (Self.bearer(token))).status == 201)
        }
    }

    @Test("login failures")
    func loginFailures() async throws {
        try await TestStrata.run(Self.project) { strata, client in
            _ = try await Self.register(client)
            let wrong = try await client.post("/api/auth/local", json: ["identifier": "ada", "password": "nope-nope"])
            #expect(wrong.status == 400)
            #expect(wrong.error?["message"] == "Invalid identifier or password")
            let unknown = try await client.post("/api/auth/local", json: ["identifier": "nobody", "password": "nope-nope"])
            #expect(unknown.error?["message"] == "Invalid identifier or password")
            let missing = try await client.post("/api/auth/local", json: ["identifier": "ada"])
            #expect(missing.error?["message"] == "password is a required field")
            let form = try await client.send("POST", "/api/auth/local", body: "identifier=ada&password=s3cret-pass", contentType: "application/x-www-form-urlencoded")
            #expect(form.status == 200, "form-encoded logins work too")
            try await strata.grant("public", "plugin::users-permissions.user.update")
            let blocked = try await client.put("/api/users/1", json: ["blocked": true])
            #expect(blocked.status == 200, "\(blocked.text)")
            let refused = try await client.post("/api/auth/local", json: ["identifier": "ada", "password": "s3cret-pass"])
            #expect(refused.error?["message"] == "Your account has been blocked by an administrator")
        }
    }

    @Test("registration rules: unknown fields, duplicates")
    func registration() async throws {
        try await TestStrata.run(Self.project) { _, client in
            let extra = try await client.post("/api/auth/local/register", json: ["username": "a", "email": "a@b.co", "password": "s3cret-pass", "role": 1])
            #expect(extra.error?["message"] == "Invalid parameters: role")
            _ = try await Self.register(client)
            let duplicate = try await client.post("/api/auth/local/register", json: ["username": "other", "email": "ADA@example.com", "password": "s3cret-pass"])
            #expect(duplicate.error?["message"] == "Email or Username are already taken")
        }
    }

    @Test("forgot and reset password, change password")
    func passwords() async throws {
        try await TestStrata.run(Self.project) { strata, client in
            let (jwt, _) = try await Self.register(client)
            #expect(try await client.post("/api/auth/forgot-password", json: ["email": "nobody@example.com"]).json == ["ok": true])
            #expect(strata.email.sent.isEmpty)
            #expect(try await client.post("/api/auth/forgot-password", json: ["email": "ada@example.com"]).json == ["ok": true])
            let mail = try #require(strata.email.sent.last)
            let code = try #require(mail.text.components(separatedBy: "code=").last?.prefix(128))
            let mismatch = try await client.post("/api/auth/reset-password", json: ["code": .string(String(code)), "password": "new-pass-1", "passwordConfirmation": "other"])
            #expect(mismatch.error?["message"] == "Passwords do not match")
            let badCode = try await client.post("/api/auth/reset-password", json: ["code": "nope", "password": "new-pass-1", "passwordConfirmation": "new-pass-1"])
            #expect(badCode.error?["message"] == "Incorrect code provided")
            let reset = try await client.post("/api/auth/reset-password", json: ["code": .string(String(code)), "password": "new-pass-1", "passwordConfirmation": "new-pass-1"])
            #expect(reset.status == 200)
            #expect(try await client.post("/api/auth/local", json: ["identifier": "ada", "password": "new-pass-1"]).status == 200)

            let headers = Self.bearer(jwt)
            #expect(try await client.post("/api/auth/change-password", json: ["currentPassword": "x", "password": "a", "passwordConfirmation": "a"]).status == 403)
            let wrongCurrent = try await client.post("/api/auth/change-password", json: ["currentPassword": "nope", "password": "next-pass", "passwordConfirmation": "next-pass"], authorization: headers)
            #expect(wrongCurrent.error?["message"] == "The provided current password is invalid")
            let same = try await client.post("/api/auth/change-password", json: ["currentPassword": "new-pass-1", "password": "new-pass-1", "passwordConfirmation": "new-pass-1"], authorization: headers)
            #expect(same.error?["message"] == "Your new password must be different than your current password")
            let changed = try await client.post("/api/auth/change-password", json: ["currentPassword": "new-pass-1", "password": "next-pass", "passwordConfirmation": "next-pass"], authorization: headers)
            #expect(changed.status == 200)
            #expect(changed.json?["jwt"]?.stringValue != nil)
            #expect(try await client.post("/api/auth/local", json: ["identifier": "ada", "password": "next-pass"]).status == 200)
        }
    }

    @Test("email confirmation")
    func emailConfirmation() async throws {
        try await TestStrata.run(Self.project) { strata, client in
            var settings = try await strata.app.usersPermissions.users.settings()
            settings.emailConfirmation = true
            settings.emailConfirmationRedirection = "https://example.com/welcome"
            try await strata.app.usersPermissions.users.updateSettings(settings)
            let registered = try await client.post("/api/auth/local/register", json: ["username": "eve", "email": "eve@example.com", "password": "s3cret-pass"])
            #expect(registered.json?["jwt"] == nil)
            #expect(registered.json?["user"]?["confirmed"] == false)
            let notYet = try await client.post("/api/auth/local", json: ["identifier": "eve", "password": "s3cret-pass"])
            #expect(notYet.error?["message"] == "Your account email is not confirmed")
            let mail = try #require(strata.email.sent.last)
            let token = try #require(mail.text.components(separatedBy: "confirmation=").last?.prefix(40))
            #expect(try await client.get("/api/auth/email-confirmation?confirmation=nope").error?["message"] == "Invalid token")
            let confirmed = try await client.get("/api/auth/email-confirmation?confirmation=\(token)")
            #expect(confirmed.status == 302)
            #expect(confirmed.header("location") == "https://example.com/welcome")
            #expect(try await client.post("/api/auth/local", json: ["identifier": "eve", "password": "s3cret-pass"]).status == 200)
            let again = try await client.post("/api/auth/send-email-confirmation", json: ["email": "eve@example.com"])
            #expect(again.error?["message"] == "Already confirmed")
            #expect(try await client.post("/api/auth/send-email-confirmation", json: ["email": "ghost@example.com"]).json == ["email": "ghost@example.com", "sent": true])
        }
    }

    @Test("users and roles routes answer bare JSON and need their permissions")
    func usersAndRoles() async throws {
        try await TestStrata.run(Self.project) { strata, client in
            _ = try await Self.register(client, "ada")
            _ = try await Self.register(client, "bob")
            #expect(try await client.get("/api/users").status == 403)
            try await strata.grant("public", "plugin::users-permissions.user.find", "plugin::users-permissions.user.count", "plugin::users-permissions.user.findOne",
                                   "plugin::users-permissions.user.create", "plugin::users-permissions.user.destroy",
                                   "plugin::users-permissions.role.find", "plugin::users-permissions.role.findOne", "plugin::users-permissions.role.createRole")
            let list = try await client.get("/api/users?sort=username:desc")
            #expect(list.json?.arrayValue?.compactMap { $0["username"] } == ["bob", "ada"])
            #expect(list.json?[0]?["password"] == nil)
            #expect(try await client.get("/api/users/count").json == 2)
            #expect(try await client.get("/api/users/1").json?["username"] == "ada")
            #expect(try await client.get("/api/users/99").status == 404)
            let created = try await client.post("/api/users", json: ["username": "cyd", "email": "cy@example.com", "password": "s3cret-pass"])
            #expect(created.status == 201, "\(created.text)")
            #expect(try await client.post("/api/users", json: ["username": "cyd", "email": "cz@example.com", "password": "s3cret-pass"]).error?["message"] == "Username already taken")
            #expect(try await client.delete("/api/users/\(created.json!["id"]!.intValue!)").json?["username"] == "cyd")

            let roles = try await client.get("/api/users-permissions/roles")
            #expect(roles.json?["roles"]?.arrayValue?.compactMap { $0["type"] } == ["authenticated", "public"])
            #expect(roles.json?["roles"]?[0]?["nb_users"] == 2)
            let authenticated = try await client.get("/api/users-permissions/roles/\(roles.json!["roles"]![0]!["id"]!.intValue!)")
            #expect(authenticated.json?["role"]?["permissions"]?["plugin::users-permissions"]?["controllers"]?["user"]?["me"]?["enabled"] == true)
            #expect(authenticated.json?["role"]?["permissions"]?["api::article"]?["controllers"]?["article"]?["find"]?["enabled"] == false)
            let editor = try await client.post("/api/users-permissions/roles", json: [
                "name": "Editor", "description": "Edits",
                "permissions": ["api::article": ["controllers": ["article": ["find": ["enabled": true], "create": ["enabled": true]]]]],
            ])
            #expect(editor.json == ["ok": true])
        }
    }

    @Test("API tokens: read-only, full-access, custom, expired; tokens win over JWTs")
    func tokens() async throws {
        try await TestStrata.run(Self.project) { strata, client in
            let readOnly = try await strata.createToken("reader", type: .readOnly)
            let full = try await strata.createToken("writer", type: .fullAccess)
            let custom = try await strata.createToken("custom", type: .custom, permissions: ["api::article.article.find"])
            #expect(readOnly.count == 256)
            #expect(try await client.get("/api/articles", authorization: (Self.bearer(readOnly))).status == 200)
            #expect(try await client.post("/api/articles", json: ["data": ["title": "x"]], authorization: (Self.bearer(readOnly))).status == 403)
            #expect(try await client.post("/api/articles", json: ["data": ["title": "x"]], authorization: (Self.bearer(full))).status == 201)
            #expect(try await client.get("/api/articles", authorization: (Self.bearer(custom))).status == 200)
            #expect(try await client.get("/api/authors", authorization: (Self.bearer(custom))).status == 403)
            try await strata.expireToken("reader")
            let expired = try await client.get("/api/articles", authorization: (Self.bearer(readOnly)))
            #expect(expired.status == 401)
            #expect(expired.error?["message"] == "Token expired")
            #expect(try await client.get("/api/articles", authorization: "Basic abc").status == 401)
        }
    }

    @Test("populate and deep filters need find on the related type")
    func relatedPermissions() async throws {
        try await TestStrata.run(Self.project) { strata, client in
            let token = try await strata.createToken("articles-only", type: .custom, permissions: ["api::article.article.find", "api::article.article.create"])
            let headers = Self.bearer(token)
            _ = try await client.post("/api/articles", json: ["data": ["title": "T", "seo": ["metaTitle": "S"]]], authorization: headers)
            let explicit = try await client.get("/api/articles?populate=author", authorization: headers)
            #expect(explicit.status == 400)
            #expect(explicit.error?["message"] == "Invalid key author")
            let filtered = try await client.get("/api/articles?filters[author][name]=x", authorization: headers)
            #expect(filtered.status == 400)
            let wildcard = try await client.get("/api/articles?populate=*", authorization: headers)
            #expect(wildcard.status == 200)
            #expect(wildcard.data?[0]?["author"] == nil, "populate=* skips what the caller cannot read")
            #expect(wildcard.data?[0]?["seo"]?["metaTitle"] == "S", "components need no permission")
        }
    }

    @Test("auth routes are rate limited")
    func rateLimit() async throws {
        var project = Self.project
        project.config = ["plugins": ["users-permissions": ["config": ["ratelimit": ["max": 3, "interval": 60000]]]]]
        try await TestStrata.run(project) { _, client in
            for _ in 0..<3 {
                #expect(try await client.post("/api/auth/local", json: ["identifier": "a", "password": "b"]).status == 400)
            }
            let limited = try await client.post("/api/auth/local", json: ["identifier": "a", "password": "b"])
            #expect(limited.status == 429)
            #expect(limited.error?["name"] == "RateLimitError")
        }
    }
}
