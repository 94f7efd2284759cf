-- wrk script: nearest-first map searches at random points around Ningxia's towns.
math.randomseed(42)
local seats = {
  {106.288, 38.473}, {106.156, 38.492}, {106.242, 38.473}, {106.253, 38.277}, {106.350, 38.554},
  {106.340, 38.103}, {106.377, 39.019}, {106.781, 39.239}, {106.523, 38.913}, {106.200, 37.985},
  {106.062, 37.426}, {107.407, 37.783}, {105.914, 36.978}, {106.079, 38.021}, {106.280, 36.005},
  {105.729, 35.964}, {106.111, 35.626}, {106.330, 35.498}, {106.638, 35.849}, {105.190, 37.514},
  {105.685, 37.492}, {105.643, 36.565},
}
request = function()
  local s = seats[math.random(#seats)]
  local lng = s[1] + (math.random() - 0.5) * 0.2
  local lat = s[2] + (math.random() - 0.5) * 0.2
  return wrk.format("GET", string.format("/api/map/search/?near=%.5f,%.5f&sort=distance", lng, lat))
end
