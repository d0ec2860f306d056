extension SIPEndpoint {
    /// The flow of a new INVITE (flow-language.md section 8): the
    /// Request-URI's user part (an extension, else a flow name), then the
    /// To header's user part, then the `flow` of the registration whose
    /// Contact the Request-URI names (the call arrived through that
    /// binding). Nil: 404.
    func selectFlow(_ request: SIPMessage, requestUser: String) -> Route? {
        if let flow = hooks.route(requestUser) { return flow }
        if let toUser = request.to?.sipURI?.user, !toUser.isEmpty, let flow = hooks.route(toUser) { return flow }
        if let name = registration(contactUser: requestUser)?.settings.flow { return hooks.route(name) }
        return nil
    }
}
