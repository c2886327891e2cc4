// The shape of the session nuxt-auth-utils seals into the cookie.
declare module '#auth-utils' {
  interface User {
    id: string
    name: string
  }
}

export {}
