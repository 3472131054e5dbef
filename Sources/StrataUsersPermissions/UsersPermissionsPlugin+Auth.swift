import Foundation
import Hummingbird
import StrataAccess
import StrataCore
import StrataDatabase
import StrataDocuments
import StrataSchema
import StrataHTTP

extension UsersPermissionsPlugin {
    /// `POST /auth/local`: `{identifier, password}` → `{jwt, user}`.
    func login(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        try await authorize(context, action)
        var request = request
        let body = try await request.bodyObject(context: context)
        let values = try requireStrings(body, ["identifier", "password"])
        guard let user = try await users.user(identifier: values["identifier"]!) else {
            throw ValidationError("Invalid identifier or password")
        }
        if try await users.settings().emailConfirmation, user["confirmed"] != .bool(true) {
            throw ApplicationError("Your account email is not confirmed")
        }
        if user["blocked"] == .bool(true) {
            throw ApplicationError("Your account has been blocked by an administrator")
        }
        guard users.verifyPassword(values["password"]!, of: user) else {
            throw ValidationError("Invalid identifier or password")
        }
        return .json(["jwt": .string(issueToken(for: user)), "user": publicUser(user)])
    }

    /// `POST /auth/local/register`: `{username, email, password}` → `{jwt, user}` (or `{user}` when
    /// the email must be confirmed first).
    func register(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        try await authorize(context, action)
        let settings = try await users.settings()
        guard settings.allowRegister else { throw ApplicationError("Register action is currently disabled") }
        var request = request
        let body = try await request.bodyObject(context: context)
        let allowed = Set(["username", "email", "password"] + configuration.allowedRegisterFields)
        let invalid = body.keys.filter { !allowed.contains($0) }
        if !invalid.isEmpty { throw ValidationError("Invalid parameters: \(invalid.joined(separator: ", "))") }
        let values = try requireStrings(body, ["username", "email", "password"])
        let email = values["email"]!.lowercased()
        var conflict = Filter.or([.equals("email", .string(email)), .equals("username", .string(values["username"]!))])
        if !settings.uniqueEmail { conflict = conflict.and(.equals("provider", "local")) }
        if try await users.user(matching: conflict) != nil { throw ApplicationError("Email or Username are already taken") }
        var data = body
        data["email"] = .string(email)
        data["provider"] = "local"
        data["confirmed"] = .bool(!settings.emailConfirmation)
        let user = try await users.create(data, roleType: settings.defaultRole)
        if settings.emailConfirmation {
            try await sendConfirmation(to: user)
            return .json(["user": publicUser(user)])
        }
        return .json(["jwt": .string(issueToken(for: user)), "user": publicUser(user)])
    }

    func sendConfirmation(to user: Document) async throws {
        guard let id = user["id"]?.intValue, let address = user["email"]?.stringValue else { return }
        let token = Secrets.hex(bytes: 20)
        _ = try await users.update(id: id, ["confirmationToken": .string(token)])
        let link = "\(configuration.serverURL)/api/auth/email-confirmation?confirmation=\(token)"
        try await email.send(Email(to: address, from: "Administration Panel <no-reply@strapi.io>", subject: "Account confirmation",
                                   text: "Thank you for registering!\n\nYou have to confirm your email address. Please click on the link below.\n\n\(link)\n\nThanks."))
    }

    /// `POST /auth/forgot-password`: always `{ok: true}`, so it reveals nothing about accounts.
    func forgotPassword(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        try await authorize(context, action)
        var request = request
        let body = try await request.bodyObject(context: context)
        let address = try requireStrings(body, ["email"])["email"]!.lowercased()
        guard address.range(of: #"^[^\s@]+@[^\s@]+\.[^\s@]+$"#, options: .regularExpression) != nil else {
            throw ValidationError(fieldErrors: [.init(path: ["email"], message: "email must be a valid email")])
        }
        if let user = try await users.user(matching: .equals("email", .string(address))), user["blocked"] != .bool(true), let id = user["id"]?.intValue {
            let token = Secrets.hex(bytes: 64)
            _ = try await users.update(id: id, ["resetPasswordToken": .string(token)])
            let base = try await users.settings().emailResetPassword ?? "\(configuration.serverURL)/reset-password"
            try await email.send(Email(to: address, from: "Administration Panel <no-reply@strapi.io>", subject: "Reset password",
                                       text: "We heard that you lost your password. Sorry about that!\n\nBut don’t worry! You can use the following link to reset your password:\n\(base)?code=\(token)\n\nThanks."))
        }
        return .json(["ok": true])
    }

    /// `POST /auth/reset-password`: `{code, password, passwordConfirmation}` → `{jwt, user}`.
    func resetPassword(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        try await authorize(context, action)
        var request = request
        let body = try await request.bodyObject(context: context)
        let values = try requireStrings(body, ["code", "password", "passwordConfirmation"])
        guard values["password"] == values["passwordConfirmation"] else { throw ValidationError("Passwords do not match") }
        guard let user = try await users.user(matching: .equals("resetPasswordToken", .string(values["code"]!))), let id = user["id"]?.intValue else {
            throw ValidationError("Incorrect code provided")
        }
        guard let updated = try await users.update(id: id, ["password": .string(values["password"]!), "resetPasswordToken": .null]) else {
            throw ValidationError("Incorrect code provided")
        }
        return .json(["jwt": .string(issueToken(for: updated)), "user": publicUser(updated)])
    }

    /// `POST /auth/change-password` (authenticated users): → `{jwt, user}`.
    func changePassword(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        try await authorize(context, action)
        guard case .user(let id, _) = context.identity, let user = try await users.user(id: id) else {
            throw UnauthorizedError("You must be authenticated to reset your password")
        }
        var request = request
        let body = try await request.bodyObject(context: context)
        for key in body.keys where !["currentPassword", "password", "passwordConfirmation"].contains(key) {
            throw ValidationError("Invalid parameters: \(key)")
        }
        let values = try requireStrings(body, ["currentPassword", "password", "passwordConfirmation"])
        guard values["password"] == values["passwordConfirmation"] else { throw ValidationError("Passwords do not match") }
        guard users.verifyPassword(values["currentPassword"]!, of: user) else { throw ValidationError("The provided current password is invalid") }
        guard values["currentPassword"] != values["password"] else {
            throw ValidationError("Your new password must be different than your current password")
        }
        guard let updated = try await users.update(id: id, ["password": .string(values["password"]!)]) else { throw NotFoundError() }
        return .json(["jwt": .string(issueToken(for: updated)), "user": publicUser(updated)])
    }

    /// `GET /auth/email-confirmation?confirmation=…`: confirms and redirects.
    func emailConfirmation(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        try await authorize(context, action)
        guard let token = request.uri.queryParameters.get("confirmation"), !token.isEmpty,
            let user = try await users.user(matching: .equals("confirmationToken", .string(token))), let id = user["id"]?.intValue
        else {
            throw ValidationError("Invalid token")
        }
        _ = try await users.update(id: id, ["confirmed": true, "confirmationToken": .null])
        let target = try await users.settings().emailConfirmationRedirection ?? "/"
        return Response(status: .found, headers: [.location: target])
    }

    /// `POST /auth/send-email-confirmation`: `{email}` → `{email, sent: true}`.
    func sendEmailConfirmation(_ request: Request, _ context: StrataRequestContext, _ action: String) async throws -> Response {
        try await authorize(context, action)
        var request = request
        let body = try await request.bodyObject(context: context)
        let address = try requireStrings(body, ["email"])["email"]!.lowercased()
        if let user = try await users.user(matching: .equals("email", .string(address))) {
            if user["confirmed"] == .bool(true) { throw ApplicationError("Already confirmed") }
            if user["blocked"] == .bool(true) { throw ApplicationError("User blocked") }
            try await sendConfirmation(to: user)
        }
        return .json(["email": .string(address), "sent": true])
    }
}
