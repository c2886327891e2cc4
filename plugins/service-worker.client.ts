/** Registers public/sw.js (notifications, the offline app shell); a browser without service workers just goes without. */
export default defineNuxtPlugin(() => {
  if (!('serviceWorker' in navigator)) return
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
    // No worker (private mode, blocked): the app works online as before.
  })
})
